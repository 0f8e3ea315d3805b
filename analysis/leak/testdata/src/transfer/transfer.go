// Package transfer: ownership handed over (silent) or kept (reported),
// through helpers in another package (facts), structs, maps, channels,
// goroutines and t.Cleanup.
package transfer

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"testing"

	"helpers"
)

func deferHelper(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer helpers.CloseQuietly(f)
	return nil
}

func drainHelper(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	helpers.Drain(resp)
	return nil
}

func deferRowsHelper(db *sql.DB) error {
	// sqlclosecheck #43: closed through a helper.
	rows, err := db.Query("q")
	if err != nil {
		return err
	}
	defer helpers.DeferRows(rows)
	return rows.Err()
}

func borrowHelperLeaks(name string) error {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	println(helpers.Name(f))
	return nil
}

func keptByRegistry(r *helpers.Registry, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	r.Keep(f)
	return nil
}

func storedGlobally(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	helpers.Store(f)
	return nil
}

func openConfigReturned() (*os.File, error) {
	return helpers.OpenConfig()
}

func openConfigClosed() error {
	f, err := helpers.OpenConfig()
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

type bundle struct {
	f    *os.File
	resp *http.Response
}

func returnedInStruct(name string) (*bundle, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &bundle{f: f}, nil
}

func returnedInStructValue(url string) (bundle, error) {
	resp, err := http.Get(url)
	if err != nil {
		return bundle{}, err
	}
	return bundle{resp: resp}, nil
}

func storedInField(b *bundle, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	b.f = f
	return nil
}

func storedInMap(m map[string]*os.File, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	m[name] = f
	return nil
}

func storedInSlice(s []io.Closer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	s[0] = f
	return nil
}

func sentOnChannel(ch chan<- *os.File, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	ch <- f
	return nil
}

func goroutineHandoff(url string) error {
	// Body handed to a goroutine that drains and closes it (survey sample OK8).
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
	}()
	return nil
}

func goroutineHelper(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	go helpers.CloseQuietly(f)
	return nil
}

func goroutineOnlyReads(name string) error {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	go func() { println(f.Name()) }()
	return nil
}

func cleanup(t *testing.T, name string) {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
}

func cleanupTB(t testing.TB, parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	t.Cleanup(cancel)
	return ctx
}

func cancelReturned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

func cancelStored(s *struct{ stop func() }, parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	s.stop = cancel
	return ctx
}

func cancelFromWrapperLeaks(parent context.Context) error {
	ctx, cancel := cancelReturned(parent) // want `cancel function cancel from transfer.cancelReturned is never called`
	_ = cancel
	return ctx.Err()
}

func closerWrapped(name string) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	var rc io.ReadCloser = f
	return rc, nil
}

func deferredClosure(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			println(cerr.Error())
		}
	}()
	return nil
}

func deferredClosureArg(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer func(c io.Closer) { _ = c.Close() }(f)
	return nil
}
