package nofix

import (
	"errors"
	"net/http"
)

// The response is declared by the if statement that checks its error: a
// defer after the if could not name it.
func declaredByIf(c *http.Client, u string) error {
	if _, err := c.Get(u); err != nil { // want `the response body returned by \(\*http.Client\).Get is discarded`
		return err
	}
	return nil
}

var errRedirect = errors.New("redirect")

// The error check does not leave on every error: past it the response may
// be nil, and a deferred resp.Body.Close() would panic there.
func partialCheck(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u) // want `never closed`
	if err != nil && !errors.Is(err, errRedirect) {
		return "", err
	}
	if err != nil {
		return "redirected", nil
	}
	return resp.Status, nil
}
