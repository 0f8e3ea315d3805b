// Package fsys has a file system whose Close releases nothing, and one
// whose Close releases the file it holds.
package fsys

import "os"

type FileSystem struct {
	f    *os.File
	name string
}

// Create opens the backing file; the caller closes that file itself.
func Create(f *os.File, name string) (*FileSystem, error) {
	if _, err := f.Stat(); err != nil {
		return nil, err
	}
	go func() {}()
	return &FileSystem{f: f, name: name}, nil
}

// Close only forgets the state.
func (fs *FileSystem) Close() error {
	*fs = FileSystem{}
	return nil
}

type Image struct{ f *os.File }

func OpenImage(name string) (*Image, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &Image{f: f}, nil
}

func (im *Image) Close() error { return im.f.Close() }
