// Package errgroup is a stand-in for golang.org/x/sync/errgroup.
package errgroup

type Group struct{}

func (g *Group) Go(f func() error) {}
func (g *Group) Wait() error       { return nil }
