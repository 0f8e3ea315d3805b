// Package maker imports augmented: in augmented's tests, Handle has a
// Close method, and what maker's functions do with handles is seen anew.
package maker

import "augmented"

// Make returns a handle.
func Make() *augmented.Handle { return augmented.Acquire() }
