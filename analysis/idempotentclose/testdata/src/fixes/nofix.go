package fixes

// A value receiver cannot hold a sync.Once usefully: no fix.
type Value struct{ done chan struct{} }

func (v Value) Close() { // want Close:"notIdempotent"
	close(v.done) // want `Close is not idempotent`
}

// Two results: no fix.
type Two struct{ done chan struct{} }

func (t *Two) Stop() (bool, error) { // want Stop:"notIdempotent"
	close(t.done) // want `Stop is not idempotent`
	return true, nil
}

// The body calls the method again: Do would deadlock, no fix.
type Again struct {
	done  chan struct{}
	again bool
}

func (a *Again) Close() { // want Close:"notIdempotent"
	close(a.done) // want `Close is not idempotent`
	if a.again {
		a.again = false
		a.Close()
	}
}
