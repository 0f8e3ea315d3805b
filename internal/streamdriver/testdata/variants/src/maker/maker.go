// Package maker imports augmented: in augmented's tests, Handle has a
// Close method, and what maker's functions do with handles is seen anew.
package maker

import "augmented"

// Open returns a handle it allocates: it acquires nothing.
func Open() *augmented.Handle { return new(augmented.Handle) }
