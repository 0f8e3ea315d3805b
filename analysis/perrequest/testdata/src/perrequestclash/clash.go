package perrequestclash

import (
	"net/http"
	"time"

	"clash/sync"
)

var mu sync.Mutex

// The file imports another package as sync: hoisting into a sync.OnceValue
// would need the standard library's sync under the same name, so there is
// no fix.
func proxyClash(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Transport: &http.Transport{IdleConnTimeout: time.Minute}} // want `HTTP client with its own Transport built in an HTTP handler`
	if resp, err := client.Get("http://backend/"); err == nil {
		resp.Body.Close()
	}
}
