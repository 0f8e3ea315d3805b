// Package matcher has constructors with functional options; some start a
// goroutine only when an option asks for it.
package matcher

import "time"

type Matcher struct {
	stop      chan struct{}
	withCache bool
	patterns  []string
}

type Option func(*Matcher)

func WithCache(v bool) Option { return func(m *Matcher) { m.withCache = v } }

// New starts the cleaner only with WithCache(true).
func New(patterns []string, opts ...Option) *Matcher { // want New:`holds with options`
	m := &Matcher{stop: make(chan struct{}), patterns: patterns}
	for _, opt := range opts {
		opt(m)
	}
	if m.withCache {
		go m.clean(time.Hour)
	}
	return m
}

func (m *Matcher) clean(d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends the cleaner.
func (m *Matcher) Stop() { close(m.stop) }

// NewCached sets the field itself: every call may start the cleaner.
func NewCached(patterns []string, opts ...Option) *Matcher {
	m := &Matcher{stop: make(chan struct{}), patterns: patterns, withCache: true}
	for _, opt := range opts {
		opt(m)
	}
	if m.withCache {
		go m.clean(time.Hour)
	}
	return m
}

// NewAlways starts the cleaner whatever the options.
func NewAlways(patterns []string, opts ...Option) *Matcher {
	m := &Matcher{stop: make(chan struct{}), patterns: patterns}
	for _, opt := range opts {
		opt(m)
	}
	go m.clean(time.Hour)
	return m
}
