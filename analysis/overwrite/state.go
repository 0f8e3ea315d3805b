package overwrite

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// bits is the set of things a slot may hold on the paths reaching a point.
type bits uint8

const (
	bNil      bits = 1 << iota // nil (zero value, assigned nil, or checked nil)
	bReleased                  // released, or its value saved to be released or handed over
	bHeld                      // an owned resource stored on this path
	bNonNil                    // some non-nil value (used, or checked non-nil)
	bUnknown                   // nothing known
	bEntry                     // whatever it held when the function was entered (summaries)
)

// live are the states in which an overwrite loses a resource for certain
// enough to report.
const live = bHeld | bNonNil

// pkey identifies a place: a field path from a root value, or an element of
// a container place (elem) under a key.
type pkey struct {
	root ssa.Value
	path string
	elem bool
	key  string
}

// container returns the container place of an element place.
func (k pkey) container() pkey { return pkey{root: k.root, path: k.path} }

// held records where a resource stored in a place came from: the
// acquisition's position and error value (the resource exists only where
// that error is nil).
type held struct {
	pos token.Pos
	err ssa.Value
	// onSuccess marks, in a summary, a resource a callee holds only when it
	// returns a nil error: the caller ties it to the call's error.
	onSuccess bool
}

type pstate struct {
	b    bits
	held []held
}

func (p pstate) union(q pstate) pstate {
	out := pstate{b: p.b | q.b, held: append([]held(nil), p.held...)}
	for _, h := range q.held {
		if !hasHeld(out.held, h) {
			out.held = append(out.held, h)
		}
	}
	return out
}

func (p pstate) equal(q pstate) bool {
	if p.b != q.b || len(p.held) != len(q.held) {
		return false
	}
	for _, h := range q.held {
		if !hasHeld(p.held, h) {
			return false
		}
	}
	return true
}

func hasHeld(hs []held, h held) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// state is the dataflow fact at a program point: the places touched so far
// and the slots a value of whose type was released on every path (which
// may have been the slot's own value under another name).
type state struct {
	p   map[pkey]pstate
	rel map[*slot]bool
}

func newState() *state { return &state{p: map[pkey]pstate{}, rel: map[*slot]bool{}} }

func (s *state) clone() *state {
	out := &state{p: make(map[pkey]pstate, len(s.p)), rel: make(map[*slot]bool, len(s.rel))}
	for k, v := range s.p {
		out.p[k] = v
	}
	for k, v := range s.rel {
		out.rel[k] = v
	}
	return out
}
