// Package sync is a project's own package that shares its name with the
// standard library's.
package sync

// Mutex is a lock.
type Mutex struct{ locked bool }
