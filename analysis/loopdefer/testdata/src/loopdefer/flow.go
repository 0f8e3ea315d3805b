package loopdefer

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ---- closing scopes that carry control flow out of the loop body ----

// return x, err with a non-zero value: the results are carried.
func firstBig(names []string, limit int64) (string, int64, error) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return name, 0, err
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		st, err := f.Stat()
		if err != nil {
			return "", 0, fmt.Errorf("stat %s: %w", name, err)
		}
		if st.Size() > limit {
			return name, st.Size(), errors.New("too big")
		}
	}
	return "", 0, nil
}

// A return whose error may be nil: a flag says whether to return.
func firstEmpty(names []string) (string, error) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		n, err := io.Copy(io.Discard, f)
		if n == 0 {
			return name, err
		}
	}
	return "", nil
}

// A bare return in a function with named results.
func total(names []string) (n int64, err error) {
	for _, name := range names {
		var f *os.File
		f, err = os.Open(name)
		if err != nil {
			return
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		var k int64
		k, err = io.Copy(io.Discard, f)
		if err != nil {
			return
		}
		n += k
	}
	return n, nil
}

// A return from a function without results, and a break.
func drain(names []string, stop func() bool) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		if stop() {
			break
		}
		io.Copy(io.Discard, f)
	}
}

// A labelled continue of the loop itself, from a nested loop: the label
// goes with it.
func firstLinesLabelled(groups [][]string) int {
	n := 0
files:
	for _, name := range groups[0] {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		for _, other := range groups[1] {
			if other == f.Name() {
				continue files
			}
		}
		n++
	}
	return n
}

// Nested loops: the inner body breaks out of the outer loop.
func scanAll(groups [][]string) int {
	n := 0
outer:
	for _, names := range groups {
		for _, name := range names {
			f, err := os.Open(name)
			if err != nil {
				break outer
			}
			defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
			if f.Name() == "" {
				continue
			}
			n++
		}
	}
	return n
}

// goto leaves the body in a way a function literal cannot: no fix.
func withGoto(names []string) int {
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			goto done
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		n += len(f.Name())
	}
done:
	return n
}

// A return of a multi-value call whose error may be nil: no fix.
func statFirst(names []string) (os.FileInfo, error) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		if f.Name() != "" {
			return f.Stat()
		}
	}
	return nil, nil
}
