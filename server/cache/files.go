// Package cache holds the language server's state that knows nothing about
// LSP: open buffers (overlays), the package graph of the workspace loaded
// with go/packages, type-checked packages and analysis results, each cached
// by a hash of its inputs so an edit redoes only the work it invalidates.
//
// The model follows gopls's: a Session accumulates edits and hands out
// immutable Snapshots; an Engine computes diagnostics for a Snapshot,
// type-checking every workspace package separately against the export data
// of its dependencies (dependencies outside the workspace are type-checked
// once, without function bodies) and running the analyzers with facts that
// flow between workspace packages.
package cache

import (
	"crypto/sha256"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Hash is a content digest.
type Hash [32]byte

func hashBytes(b []byte) Hash { return sha256.Sum256(b) }

// File is one version of a file's content: an unsaved buffer (Version > 0)
// or the file on disk (Version == 0).
type File struct {
	Path    string
	Version int32
	Content []byte
	Hash    Hash
	// Err is set when the file could not be read.
	Err error

	headerOnce sync.Once
	header     string
}

// NewFile returns a File for content.
func NewFile(path string, version int32, content []byte) *File {
	return &File{Path: path, Version: version, Content: content, Hash: hashBytes(content)}
}

// Header is a digest of what a file contributes to the package graph: its
// package clause, build constraints and imports. A change to it requires
// reloading the metadata.
func (f *File) Header() string {
	f.headerOnce.Do(func() {
		if f.Err != nil {
			f.header = "error"
			return
		}
		fset := token.NewFileSet()
		af, err := parser.ParseFile(fset, f.Path, f.Content, parser.ImportsOnly|parser.ParseComments)
		if af == nil {
			f.header = "unparsable"
			return
		}
		var b strings.Builder
		b.WriteString(af.Name.Name)
		for _, imp := range af.Imports {
			b.WriteString(" ")
			b.WriteString(imp.Path.Value)
		}
		// Build constraints live in comments before the package clause.
		for _, cg := range af.Comments {
			if cg.Pos() >= af.Package {
				break
			}
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//go:build") {
					b.WriteString(" " + c.Text)
				}
			}
		}
		if err != nil {
			b.WriteString(" (syntax error)")
		}
		f.header = b.String()
	})
	return f.header
}

// diskFiles caches file contents read from disk, revalidated by size and
// modification time, so every run can cheaply see the current disk state.
type diskFiles struct {
	mu    sync.Mutex
	files map[string]diskEntry
}

type diskEntry struct {
	size  int64
	mtime time.Time
	file  *File
}

func newDiskFiles() *diskFiles { return &diskFiles{files: map[string]diskEntry{}} }

// read returns the current disk version of path.
func (d *diskFiles) read(path string) *File {
	st, err := os.Stat(path)
	if err != nil {
		d.mu.Lock()
		delete(d.files, path)
		d.mu.Unlock()
		return &File{Path: path, Err: fmt.Errorf("reading %s: %w", path, err)}
	}
	d.mu.Lock()
	e, ok := d.files[path]
	d.mu.Unlock()
	if ok && e.size == st.Size() && e.mtime.Equal(st.ModTime()) {
		return e.file
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return &File{Path: path, Err: fmt.Errorf("reading %s: %w", path, err)}
	}
	f := NewFile(path, 0, content)
	d.mu.Lock()
	d.files[path] = diskEntry{size: st.Size(), mtime: st.ModTime(), file: f}
	d.mu.Unlock()
	return f
}

// forget drops path from the cache (it changed on disk).
func (d *diskFiles) forget(path string) {
	d.mu.Lock()
	delete(d.files, path)
	d.mu.Unlock()
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
