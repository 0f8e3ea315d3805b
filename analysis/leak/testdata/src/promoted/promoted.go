// Package promoted: a Close promoted from an embedded interface field is
// the value's release method.
package promoted

import "os"

type Backend interface {
	Get(key string) string
	Close() error
}

type fileBackend struct{ f *os.File }

func (b *fileBackend) Get(key string) string { return key }
func (b *fileBackend) Close() error          { return b.f.Close() }

func OpenBackend(name string) (Backend, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &fileBackend{f: f}, nil
}

// Lowlevel embeds the backend and starts a goroutine: it is a resource of
// its own, released by the Close it inherits from Backend.
type Lowlevel struct {
	Backend
	updates chan string
}

func NewLowlevel(b Backend) *Lowlevel {
	l := &Lowlevel{Backend: b, updates: make(chan string)}
	go func() {
		for k := range l.updates {
			l.Get(k)
		}
	}()
	return l
}

func closed(name string) error {
	b, err := OpenBackend(name)
	if err != nil {
		return err
	}
	ll := NewLowlevel(b)
	defer ll.Close()
	ll.Get("x")
	return nil
}

func leaked(name string) error {
	b, err := OpenBackend(name)
	if err != nil {
		return err
	}
	ll := NewLowlevel(b) // want `closer ll from promoted.NewLowlevel is never closed`
	ll.Get("x")
	return nil
}
