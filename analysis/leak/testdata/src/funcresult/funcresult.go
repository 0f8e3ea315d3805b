// Package funcresult: a function value a known function returned is
// classified from the function literal it is.
package funcresult

import (
	"io"
	"net/http"
	"strings"

	"funcresult/pipes"
)

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

// A function literal assigned once to a variable is known where it is
// called, directly or from another literal that captured the variable.
func localLiterals(t interface{ Fatal(...any) }, url string) {
	create := func(code int) *http.Response {
		resp := &http.Response{StatusCode: code}
		resp.Body = io.NopCloser(strings.NewReader(""))
		return resp
	}
	fetch := func() *http.Response {
		resp, err := http.Get(url)
		if err != nil {
			return nil
		}
		return resp
	}
	wrap := func(code int) *http.Response { return create(code) }
	status := func(r *http.Response) int { return r.StatusCode }
	if status(create(404)) != 404 || status(wrap(500)) != 500 {
		t.Fatal("status")
	}
	// The true bug of the same shape: this literal fetches.
	if status(fetch()) != 200 { // want `is discarded`
		t.Fatal("status")
	}
}
