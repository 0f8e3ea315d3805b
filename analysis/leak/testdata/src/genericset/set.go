// Package genericset is a generic set, as clients keep what they track in.
package genericset

type Set[T comparable] map[T]struct{}

func (s Set[T]) Add(v T) { s[v] = struct{}{} }

func (s Set[T]) Delete(v T) { delete(s, v) }
