package loopdefer

import (
	"fmt"
	"io"
	"os"
)

// ---- loop bodies too deep for a function literal: extracted ----

// A loop three tabs deep: the body moves into a function of its own, its
// free variables (a range variable of the outer loop, a parameter) passed
// as arguments.
func checkGroups(groups map[string][]string, verbose bool) error {
	if len(groups) > 0 {
		for key, names := range groups {
			for _, name := range names {
				f, err := os.Open(name)
				if err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
				defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
				if verbose {
					fmt.Println(key, f.Name())
				}
			}
		}
	}
	return nil
}

type scanner struct {
	out io.Writer
}

// A method: the receiver is passed like any other variable, and a bare
// return carries the named results.
func (s *scanner) scan(groups [][]string) (n int, err error) {
	for _, g := range groups {
		if len(g) > 0 {
			for _, name := range g {
				f, openErr := os.Open(name)
				if openErr != nil {
					return
				}
				defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
				fmt.Fprintln(s.out, f.Name(), n)
			}
		}
	}
	return n, nil
}

// The body changes a variable of the enclosing function: a copy passed to
// an extracted function would not, so the body stays a function literal.
func countOpen(groups [][]string) int {
	count := 0
	for _, g := range groups {
		if len(g) > 0 {
			for _, name := range g {
				f, err := os.Open(name)
				if err != nil {
					continue
				}
				defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
				count += len(f.Name())
			}
		}
	}
	return count
}

type limits struct{ max int }

// A struct value used by the body: a copy of a struct is not kept in step
// with the original in general, so the body stays a function literal.
func withLimits(groups [][]string, l limits) {
	for _, g := range groups {
		if len(g) > 0 {
			for _, name := range g {
				f, err := os.Open(name)
				if err != nil {
					continue
				}
				defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
				fmt.Println(f.Name(), l.max)
			}
		}
	}
}
