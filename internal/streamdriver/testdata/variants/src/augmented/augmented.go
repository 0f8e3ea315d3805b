// Package augmented declares a type to which its tests add a release
// method; nothing of its own says anything about handles.
package augmented

// Handle is a handle; only the tests give it a Close method.
type Handle struct{ fd int }
