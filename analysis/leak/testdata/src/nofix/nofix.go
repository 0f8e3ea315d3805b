// Package nofix: leaks whose fix would change behaviour get no edit; the
// golden file equals the source.
package nofix

import (
	"net/http"
	"os"
)

func inLoop(names []string) {
	for _, n := range names {
		f, err := os.Open(n) // want `before the loop acquires the next one`
		if err != nil {
			continue
		}
		println(f.Name())
	}
}

func unchecked(name string) {
	f, err := os.Open(name) // want `never closed`
	println(f.Name(), err)
}

type holder struct{ out *os.File }

// The leaking exit uses the resource in its result: releasing before it
// would change what it returns, so there is no fix.
func name(w *holder, path string, keep bool) (string, error) {
	f, err := os.Open(path) // want `file f from os.Open is not closed on the path returning at line 35`
	if err != nil {
		return "", err
	}
	if !keep {
		return f.Name(), nil
	}
	w.out = f
	return "", nil
}

// The path that keeps the file reaches the same return as the path that
// leaks it: a release there would close the kept file too, so no fix.
func keepIf(w *holder, path string, keep bool) error {
	f, err := os.Open(path) // want `file f from os.Open is not closed on the path returning at line 51`
	if err != nil {
		return err
	}
	if keep {
		w.out = f
	}
	return nil
}

// The response is declared by the if statement: no defer after it can name
// it, so there is no fix, and the message says where to declare it.
func probeStatus(c *http.Client, req *http.Request) {
	if r, err := c.Do(req); err != nil || r.StatusCode > 299 { // want `response body r.Body from \(\*http.Client\).Do is never closed; it is declared by the if statement, so declare it before the if and add defer r.Body.Close\(\)`
		return
	}
}
