package kinds

import "net"

// dialer is swapped in tests; each call opens a fresh connection.
var dialer = net.Dial

func viaFuncVar(addr string) error {
	conn, err := dialer("tcp", addr) // want `connection conn from dialer is never closed`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("ping"))
	return err
}

func viaFuncParam(dial func() (net.Conn, error)) error {
	conn, err := dial() // want `connection conn from dial is never closed`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("ping"))
	return err
}
