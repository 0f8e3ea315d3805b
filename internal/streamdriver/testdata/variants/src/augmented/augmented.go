// Package augmented declares a type to which its tests add a release
// method.
package augmented

// Handle is a handle; only the tests give it a Close method.
type Handle struct{ fd int }

// Acquire returns a new handle.
func Acquire() *Handle { return &Handle{fd: 3} }
