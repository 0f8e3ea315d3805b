// Package svc uses the resources of package store.
package svc

import (
	"context"
	"io"
	"net"

	"example.com/vetparity/store"
)

// Size leaks the file store.Open returns.
func Size(path string) (int64, error) {
	f, err := store.Open(path) // finding: leak, until store.Open keeps its file
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// SizeReleased hands the file to store.Release: nothing leaks.
func SizeReleased(path string) (int64, error) {
	f, err := store.Open(path)
	if err != nil {
		return 0, err
	}
	defer store.Release(f)
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Config returns the file store.Open returns: its caller owns it.
func Config(path string) (io.ReadCloser, error) {
	return store.Open(path)
}

// ReadAll defers every file's release to the end of the function.
func ReadAll(paths []string) ([][]byte, error) {
	var out [][]byte
	for _, p := range paths {
		f, err := store.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // finding: loopdefer
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// Drain closes the pool twice on its way out.
func Drain() error {
	p := store.NewPool()
	defer p.Close()
	return p.Close() // finding: doubleclose
}

// Ask loses the cancel func of the context store.Deadline returns.
func Ask(ctx context.Context, ask func(context.Context) error) error {
	ctx, _ = store.Deadline(ctx) // finding: leak
	return ask(ctx)
}

// dial hands out the connection Remote reads from; tests replace it.
var dial = conn

func conn(v any) net.Conn {
	c, _ := v.(net.Conn)
	return c
}

// Remote names the peer of what dial hands out, which Remote does not
// own (as the package ships; a test's stub dials a connection of its
// own).
func Remote(v any) string {
	c := dial(v)
	if c == nil {
		return ""
	}
	return c.RemoteAddr().String()
}
