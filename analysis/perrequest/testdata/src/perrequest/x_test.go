package perrequest

import (
	"net/http"
	"testing"
)

// A client per test case in a table-driven test is deliberate: not reported.
func TestPerCase(t *testing.T) {
	for _, u := range []string{"http://a", "http://b"} {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		c.Get(u)
	}
}
