// Package registered: a value registered with an owner that a parameter
// reaches (a bus client that closes its subscriptions) is that owner's;
// the caller only borrows it.
package registered

import "registry"

func subscribe(c *registry.Client) {
	s := registry.Subscribe(c)
	_ = s
}

func run() {
	c := registry.NewClient()
	defer c.Close()
	registry.Subscribe(c)
}

// The true bugs of the same shape: nobody else tracks these.
func detached() {
	s := registry.Detached() // want `the closer returned by registry.Detached is discarded`
	_ = s
}

func orphan() {
	s := registry.Orphan() // want `the closer returned by registry.Orphan is discarded`
	_ = s
}

func publish(b *registry.Bus) {
	p := registry.Publish(b)
	_ = p
}

// The true bug of the same shape: nobody tracks this one.
func loose(b *registry.Bus) {
	p := registry.Loose(b) // want `the closer returned by registry.Loose is discarded`
	_ = p
}

// A method of a parameter that closes the value only when it fails does not
// take it over: the connection is the caller's.
func dial(d *registry.Dialer, addr string) error {
	c, err := d.Dial(addr) // want `(closer|connection) c from \(\*registry.Dialer\).Dial is never closed`
	if err != nil {
		return err
	}
	_ = c
	return nil
}
