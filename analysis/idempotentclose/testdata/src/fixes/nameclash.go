package fixes

import "clash/sync"

// The file imports another package as sync: the guard would need the
// standard library's sync under the same name, so there is no fix.
type Clash struct {
	mu   sync.Mutex
	stop chan struct{}
}

func (c *Clash) Stop() { // want Stop:"notIdempotent"
	close(c.stop) // want `Stop is not idempotent`
}
