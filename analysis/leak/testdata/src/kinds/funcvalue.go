package kinds

import (
	"net"
	"os"
	"os/exec"

	"helpers"
)

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

func profileFile(dest string) (*os.File, func()) {
	f, err := os.Create(dest)
	if err != nil {
		return nil, func() {}
	}
	return f, func() { f.Close() }
}

func cleanupNeverCalled(dest string) {
	f, done := profileFile(dest) // want `cancel function done from kinds.profileFile is never called`
	_ = f
	_ = done
}

func workerNeverStopped() {
	w := helpers.NewWorker() // want `never stopped`
	_ = w
}

// startCmd hands a started command to its caller, who must wait for it.
func startCmd() (*exec.Cmd, error) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

func startedNotWaited() error {
	cmd, err := startCmd() // want `started command cmd from kinds.startCmd is never waited for`
	if err != nil {
		return err
	}
	println(cmd.Process.Pid)
	return nil
}
