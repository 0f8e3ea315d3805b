// Package goroutineuse: a resource that a goroutine goes on using after the
// function that started it returns is released at the end of that
// goroutine, never by the function.
package goroutineuse

import (
	"io"
	"net"
	"os"
	"sync"
)

// The goroutine is the last user: the fix closes the file when it is done.
func stream(w io.Writer, path string) error {
	f, err := os.Open(path) // want `file f from os.Open is never closed: the goroutine started at line 19 uses it after stream returns; close it when that goroutine is done`
	if err != nil {
		return err
	}
	go func() {
		io.Copy(w, f)
	}()
	return nil
}

// The goroutine releases it itself: nothing to report.
func streamClosing(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	go func() {
		defer f.Close()
		io.Copy(w, f)
	}()
	return nil
}

// The function waits for the goroutine and closes afterwards: fine.
func copyAndWait(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(w, f)
	}()
	wg.Wait()
	return nil
}

// Two goroutines share the socket: neither is surely the last user, so
// there is no fix.
func pump(a net.Addr) error {
	c, err := net.ListenPacket("udp", ":0") // want `connection c from net.ListenPacket is never closed: the goroutine started at line 62 uses it`
	if err != nil {
		return err
	}
	go func() {
		c.WriteTo([]byte("x"), a)
	}()
	go func() {
		buf := make([]byte, 8)
		c.ReadFrom(buf)
	}()
	return nil
}

// The function still uses the file after starting the goroutine: no fix.
func statAfter(w io.Writer, path string) (int64, error) {
	f, err := os.Open(path) // want `file f from os.Open is never closed; the goroutine started at line 78 uses it too, so close it once both are done with it`
	if err != nil {
		return 0, err
	}
	go func() {
		io.Copy(w, f)
	}()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// The function uses the listener after starting the goroutine and never
// closes it: reported as shared, with no fix (a defer in the function could
// cut the goroutine's Accept short).
func acceptOnce(handle func(net.Conn)) (net.Addr, error) {
	ln, err := net.Listen("tcp", "localhost:0") // want `listener ln from net.Listen is never closed; the goroutine started at line 96 uses it too`
	if err != nil {
		return nil, err
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			handle(c)
		}
	}()
	return ln.Addr(), nil
}
