package closeerr

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ---- Reported ----

func create(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing \(os.Create\)`
	_, err = f.Write(data)
	return err
}

func createTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "x-*")
	if err != nil {
		return "", err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error`
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	return f.Name(), nil
}

func openWrOnly(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `os.OpenFile with a write flag`
	_, err = io.WriteString(f, "x")
	return err
}

func openAppend(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	_, err = fmt.Fprintln(f, line)
	return err
}

const rw = os.O_RDWR

func openRDWRConst(path string) error {
	f, err := os.OpenFile(path, rw, 0)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	_, err = f.WriteAt([]byte("x"), 0)
	return err
}

func encodeJSON(path string, v any) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close() // want `deferred out.Close\(\) drops`
	return json.NewEncoder(out).Encode(v)
}

func bufferedFlush(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
	}
	return w.Flush()
}

// Named error result already: the fix keeps its name.
func namedResult(path string) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	n, err = f.WriteString("hello")
	return
}

// A parameter named err: the new result gets another name.
func paramNamedErr(path string, err error) error {
	if err != nil {
		return err
	}
	f, cerr := os.Create(path)
	if cerr != nil {
		return cerr
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	_, werr := f.WriteString("x")
	return werr
}

// var-declared file.
func varDecl(path string) error {
	var f, err = os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	_, err = f.Write(nil)
	return err
}

// Inside a function literal that returns an error.
var writeLit = func(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	_, err = f.WriteString("lit")
	return err
}

// A discarded Close right before a successful return.
func discardedBeforeReturn(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("x"); err != nil {
		f.Close()
		return err
	}
	f.Close() // want `discarded f.Close\(\) drops`
	return nil
}

func discardedTwoResults(path string) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := f.WriteString("x")
	if err != nil {
		f.Close()
		return 0, err
	}
	f.Close() // want `discarded f.Close\(\) drops`
	return n, nil
}

// A deferred closure that drops the error silently.
func deferredLitDrops(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		f.Close() // want `deferred f.Close\(\) drops`
	}()
	_, err = f.WriteString("x")
	return err
}

// The defer sits in a nested block where err is redeclared: the new result
// is named so that the closure does not capture the inner err.
func shadowedAtDefer(paths []string) error {
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `deferred f.Close\(\) drops`
		f.WriteString(p)
	}
	return nil
}

// The named result is shadowed where the defer sits: a closure there would
// set the inner err, so no fix is offered.
func namedShadowedAtDefer(paths []string) (err error) {
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `deferred f.Close\(\) drops`
		f.WriteString(p)
	}
	return nil
}

// The variable is reassigned after the defer: no fix.
func reassigned(a, b string) error {
	f, err := os.Create(a)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops`
	f, err = os.Create(b)
	if err != nil {
		return err
	}
	_, err = f.WriteString("x")
	return err
}

// ---- Must stay silent ----

// Read-only files: gosec #579 flagged these under G307.
func readOnly(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.ReadAll(f)
	return err
}

func openFileReadOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// The flag is not a constant: it cannot be told.
func dynamicFlag(path string, flag int) error {
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// The safety-net idiom: defer plus an explicit checked Close (errcheck #105
// asked for this shape to be accepted; our sample K9 shape).
func deferAndReturnClose(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		return err
	}
	return f.Close()
}

func deferAndIfClose(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	return nil
}

// gosec #714: a deferred closure that keeps the error.
func closureKeeps(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = f.WriteString("x")
	return err
}

func joinKeeps(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.WriteString("x")
	return err
}

// sqlclosecheck #43 shape: a closure that deliberately drops the error.
func explicitlyDropped(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return nil
}

// No error result: nowhere to report the failure.
func noErrorResult(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString("x")
}

// Ownership leaves the function.
func returned(path string) (*os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString("header"); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// A checked Sync flushes the data before the deferred Close.
func synced(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		return err
	}
	return f.Sync()
}

// The discarded Close sits on the error path only.
func errorPathOnly(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("x"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Suppressed with a reason.
func suppressed(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	//lifecycle:ignore closeerr the file is a lock file, nothing is written
	defer f.Close()
	return nil
}

// Stdout is borrowed, not opened here.
func stdout() error {
	defer os.Stdout.Close()
	_, err := os.Stdout.WriteString("x")
	return err
}

// Created to exist or to be stat'ed: nothing written, nothing to lose
// (os.TestCopyFS in the standard library).
func createdForStat(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_ = st.Mode()
	return nil
}

// Error-path cleanup in a deferred closure (internal/fuzz.sharedMemTempFile).
func errorPathDeferred(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	_, err = f.WriteString("x")
	return err
}

// A scratch file removed when the function returns
// (cmd/go/internal/modfetch's zip spooling).
func scratchFile(data []byte) error {
	f, err := os.CreateTemp("", "spool-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	_, err = f.Seek(0, 0)
	return err
}

// Unlinked right away and read back through the descriptor
// (staticcheck's lintcmd/runner writeCacheGob).
func unlinkedScratch(data []byte) error {
	f, err := os.CreateTemp("", "gob-")
	if err != nil {
		return err
	}
	defer f.Close()
	os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		return err
	}
	_, err = f.Seek(0, io.SeekStart)
	return err
}
