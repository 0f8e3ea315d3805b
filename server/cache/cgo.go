package cache

import (
	"context"
	"path/filepath"
	"strings"
	"sync"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/cgotypes"
)

// cgoDecls keeps the declarations cmd/cgo generated for the workspace's
// cgo packages, so that their functions that use C are type-checked and
// analysed like the others. cgo runs (through go list) when a package's
// preambles or the C names its code uses change, not on every edit.
type cgoDecls struct {
	mu      sync.Mutex
	entries map[Hash]*cgoEntry
	// latest is the last successful entry of each package, used while
	// cgo fails on a half-typed C name or preamble.
	latest map[string]*cgoEntry
}

// cgoEntry is one run of cgo, done once.
type cgoEntry struct {
	once sync.Once
	file *File
	err  error
}

func newCgoDecls() *cgoDecls {
	return &cgoDecls{entries: map[Hash]*cgoEntry{}, latest: map[string]*cgoEntry{}}
}

// maxCgoEntries bounds the entries kept; past it, only each package's
// latest success survives.
const maxCgoEntries = 256

// get returns the generated declarations for m at key (see cgotypes.Key),
// running cgo once per key. When cgo fails, it returns the package's last
// declarations (which then lack what changed) with the error, or no file.
func (c *cgoDecls) get(ctx context.Context, key Hash, m *Meta, opts loadOptions, overlays map[string]*File) (*File, error) {
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		if len(c.entries) >= maxCgoEntries {
			c.entries = map[Hash]*cgoEntry{}
		}
		e = &cgoEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		path, src, err := cgotypes.Generate(ctx, cgoRequest(m, opts, overlays))
		if err != nil {
			e.err = err
			return
		}
		e.file = NewFile(path, 0, src)
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err == nil {
		c.latest[m.ID] = e
		return e.file, nil
	}
	if ctx.Err() != nil {
		// Cancelled, not failed: try again next time.
		delete(c.entries, key)
	}
	if last := c.latest[m.ID]; last != nil {
		return last.file, e.err
	}
	return nil, e.err
}

// cgoRequest describes how to run cgo for m: in its module, with the load's
// settings and the unsaved contents of its directory's files.
func cgoRequest(m *Meta, opts loadOptions, overlays map[string]*File) cgotypes.Request {
	dir := ""
	if len(m.GoFiles) > 0 {
		dir = filepath.Dir(m.GoFiles[0])
	}
	if m.Module != nil && m.Module.Dir != "" {
		dir = m.Module.Dir
	}
	overlay := map[string][]byte{}
	for p, f := range overlays {
		if strings.HasSuffix(p, ".go") {
			overlay[p] = f.Content
		}
	}
	env, flags := goListSettings(dir, opts)
	return cgotypes.Request{Dir: dir, PkgPath: m.PkgPath, Name: m.Name, GoFiles: m.GoFiles, Env: env, BuildFlags: flags, Overlay: overlay}
}
