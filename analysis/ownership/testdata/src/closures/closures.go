// Package closures has function literals that acquire and release
// resources, and functions that call each other.
package closures

import (
	"net"
	"os"
	"sort"
)

func open(name string) (*os.File, error) { return os.Open(name) }

func serve(l net.Listener) {
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		func() {
			f, err := open("x")
			if err == nil {
				f.Close()
			}
		}()
	}()
}

func even(n int) bool {
	if n == 0 {
		return true
	}
	return odd(n - 1)
}

func odd(n int) bool {
	if n == 0 {
		return false
	}
	return even(n - 1)
}

// A literal its function's summary has no need to look into.
func sorted(xs []int) {
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
}
