// Package inert: a type whose Close releases nothing is not a resource,
// decided from the method's body across packages.
package inert

import (
	"os"

	"inert/fsys"
)

func format(f *os.File) error {
	fs, err := fsys.Create(f, "disk")
	if err != nil {
		return err
	}
	_ = fs
	return nil
}

func inspect(name string) error {
	im, err := fsys.OpenImage(name) // want `closer im from fsys.OpenImage is never closed`
	if err != nil {
		return err
	}
	_ = im
	return nil
}
