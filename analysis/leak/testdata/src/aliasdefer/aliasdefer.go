// Package aliasdefer: a deferred closure that drains an alias of the body
// and then closes the body releases it.
package aliasdefer

import (
	"io"
	"net/http"
)

func drainThenClose(c *http.Client, url string, limit int64) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	var body io.Reader = resp.Body
	if limit > 0 {
		body = io.LimitReader(body, limit)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	_, err = io.ReadAll(body)
	return err
}

// A deferred closure that only drains the alias releases nothing.
func drainOnly(c *http.Client, url string, limit int64) error {
	resp, err := c.Get(url) // want `response body resp.Body from \(\*http.Client\).Get is never closed`
	if err != nil {
		return err
	}
	var body io.Reader = resp.Body
	if limit > 0 {
		body = io.LimitReader(body, limit)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, body)
		_ = resp.StatusCode
	}()
	_, err = io.ReadAll(body)
	return err
}
