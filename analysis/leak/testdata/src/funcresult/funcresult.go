// Package funcresult: a function value a known function returned is
// classified from the function literal it is.
package funcresult

import "funcresult/pipes"

func fromQueue(l *pipes.Listener) error {
	dial := l.Dialer()
	_, err := dial("", 0)
	return err
}

// The true bug of the same shape: the literal dials.
func fromNetwork() error {
	dial := pipes.NetDialer()
	_, err := dial("example.com:80", 0) // want `is discarded`
	return err
}
