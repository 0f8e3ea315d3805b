// Package fixeshandover: resources handed over on some paths and leaked on
// others are released right before each leaking exit, never deferred (a
// defer would release them on the paths that hand them over too).
package fixeshandover

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
)

type worker struct {
	cancel context.CancelFunc
	out    *os.File
}

func prepare(ctx context.Context) error { return ctx.Err() }

// A cancel func stored in the returned struct: the error path leaks it.
func start(parent context.Context) (*worker, error) {
	ctx, cancel := context.WithCancel(parent) // want `cancel function cancel from context.WithCancel is not called on the path returning at line 26`
	if err := prepare(ctx); err != nil {
		return nil, err
	}
	return &worker{cancel: cancel}, nil
}

// Several leaking exits, one of them in a switch.
func startMode(parent context.Context, mode int) (*worker, error) {
	ctx, cancel := context.WithCancel(parent) // want `not called on the path returning at line 36`
	switch mode {
	case 0:
		return nil, errors.New("mode 0")
	case 1:
		if err := prepare(ctx); err != nil {
			return nil, err
		}
	}
	return &worker{cancel: cancel}, nil
}

// A file stored in a field of a parameter on success.
func attach(w *worker, name string, check func() error) error {
	f, err := os.Create(name) // want `file f from os.Create is not closed on the path returning at line 52`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	w.out = f
	return nil
}

// Falling off the end of the function leaks it.
func maybeKeep(w *worker, path string, keep bool) {
	f, err := os.Open(path) // want `file f from os.Open is not closed on the path reaching the end of the function`
	if err != nil {
		return
	}
	if keep {
		w.out = f
		return
	}
	println(f.Name())
}

// Inside a loop a defer is no fix, but a release before the early return is.
func firstReadable(w *worker, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p) // want `file f from os.Open is not closed on the path returning at line 79`
		if err != nil {
			continue
		}
		if !readable(f) {
			return errors.New("unreadable")
		}
		w.out = f
		break
	}
	return nil
}

func readable(f *os.File) bool {
	_, err := f.Stat()
	return err == nil
}

func opener(url string) (io.ReadCloser, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// A body handed back as an io.ReadCloser is released with its own Close.
func readAll(url string) ([]byte, error) {
	body, err := opener(url) // want `never closed; add defer body.Close\(\)`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(body)
}

// A started command is waited for where the function ends, its error
// returned in place of the nil.
func run(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // want `started command cmd from \(\*exec.Cmd\).Start is never waited for`
		return err
	}
	println(cmd.Process.Pid)
	return nil
}

// Nothing leaks when every path hands the value over.
func handsOver(parent context.Context) *worker {
	_, cancel := context.WithCancel(parent)
	return &worker{cancel: cancel}
}

// Without an error result to return it in, the wait is deferred.
func runAndLog(name string) {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // want `started command cmd from \(\*exec.Cmd\).Start is never waited for`
		return
	}
	println(cmd.Process.Pid)
}
