package inert

import (
	"net"
	"os"
)

// An in-memory pipe holds no descriptor: an end nobody closes is garbage.
func pipeEnd() net.Conn {
	c1, _ := net.Pipe()
	return c1
}

// A socket's end is a descriptor: dropping it leaks.
func socketEnd(addr string) error {
	_, err := net.Dial("tcp", addr) // want `the connection returned by net.Dial is discarded`
	return err
}

// File is an in-memory file: its Close releases nothing.
type File struct {
	fs   *FS
	data []byte
}

func (f *File) Close() error {
	*f = File{}
	return nil
}

// Handle is an open file of some file system.
type Handle interface {
	Write(b []byte) (int, error)
	Close() error
}

func (f *File) Write(b []byte) (int, error) {
	f.data = append(f.data, b...)
	return len(b), nil
}

type FS struct{ files map[string]*File }

func (fs *FS) Close() error { return nil }

// OpenFile hands out in-memory files as Handles.
func (fs *FS) OpenFile(name string) (Handle, error) {
	f, ok := fs.files[name]
	if !ok {
		f = &File{fs: fs}
		fs.files[name] = f
	}
	return f, nil
}

func writeAll(fs *FS, name string, b []byte) error {
	h, err := fs.OpenFile(name)
	if err != nil {
		return err
	}
	_, err = h.Write(b)
	return err
}

// Real handles: OpenFile on disk.
type DiskFS struct{ dir string }

func (d *DiskFS) OpenFile(name string) (Handle, error) {
	return os.Create(d.dir + "/" + name)
}

func writeDisk(d *DiskFS, name string, b []byte) error {
	h, err := d.OpenFile(name) // want `h from \(\*inert.DiskFS\).OpenFile is never closed`
	if err != nil {
		return err
	}
	_, err = h.Write(b)
	return err
}

var linked []*FS

// OpenLink follows a link by opening its target: the same kind of file.
func (fs *FS) OpenLink(name string, depth int) (Handle, error) {
	linked = append(linked, fs)
	if depth > 0 {
		return fs.OpenLink(name, depth-1)
	}
	return fs.OpenFile(name)
}

func writeLink(fs *FS, name string, b []byte) error {
	h, err := fs.OpenLink(name, 2)
	if err != nil {
		return err
	}
	_, err = h.Write(b)
	return err
}
