package cache

import (
	"crypto/sha256"
	"hash"
)

// hashWriter feeds the inputs of a cache key into a digest, each
// length-delimited so that different inputs never collide by concatenation.
type hashWriter struct{ h hash.Hash }

func (w hashWriter) str(s string) {
	var n [8]byte
	l := len(s)
	for i := range n {
		n[i] = byte(l >> (8 * i))
	}
	w.h.Write(n[:])
	w.h.Write([]byte(s))
}

func (w hashWriter) hash(h Hash) { w.h.Write(h[:]) }

// keyOf computes a cache key of a kind for a package from fields.
func keyOf(kind, id, extra string, fields func(w hashWriter)) Hash {
	w := hashWriter{sha256.New()}
	w.str(kind)
	w.str(id)
	w.str(extra)
	fields(w)
	var out Hash
	copy(out[:], w.h.Sum(nil))
	return out
}
