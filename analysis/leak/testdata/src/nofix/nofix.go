// Package nofix: leaks whose fix would change behaviour get no edit; the
// golden file equals the source.
package nofix

import "os"

func inLoop(names []string) {
	for _, n := range names {
		f, err := os.Open(n) // want `before the loop acquires the next one`
		if err != nil {
			continue
		}
		println(f.Name())
	}
}

func unchecked(name string) {
	f, err := os.Open(name) // want `never closed`
	println(f.Name(), err)
}
