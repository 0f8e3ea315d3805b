package cache

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"sync"
)

// universe holds the packages outside the workspace (the standard library
// and module dependencies), type-checked once without function bodies and
// shared, read-only, by every check of a workspace package.
type universe struct {
	fset *token.FileSet

	mu       sync.Mutex
	pkgs     map[Hash]*uniFuture
	keys     map[*Metadata]map[string]Hash
	tokFiles []*token.File
}

type uniFuture struct {
	done chan struct{}
	pkg  *types.Package
	err  error
}

func newUniverse() *universe {
	return &universe{fset: token.NewFileSet(), pkgs: map[Hash]*uniFuture{}, keys: map[*Metadata]map[string]Hash{}}
}

// files returns the token.Files of every parsed universe file.
func (u *universe) files() []*token.File {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.tokFiles[:len(u.tokFiles):len(u.tokFiles)]
}

// key identifies a universe package by its files (path, size, mtime) and
// its dependencies' keys.
func (u *universe) key(md *Metadata, id string) Hash {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.keyLocked(md, id, map[string]bool{})
}

func (u *universe) keyLocked(md *Metadata, id string, visiting map[string]bool) Hash {
	keys := u.keys[md]
	if keys == nil {
		keys = map[string]Hash{}
		u.keys[md] = keys
	}
	if k, ok := keys[id]; ok {
		return k
	}
	m := md.Packages[id]
	visiting[id] = true
	k := keyOf("universe", id, "", func(w hashWriter) {
		if m == nil {
			return
		}
		for _, f := range m.GoFiles {
			w.str(f)
			if st, err := os.Stat(f); err == nil {
				w.str(fmt.Sprint(st.Size(), st.ModTime().UnixNano()))
			}
		}
		for _, path := range sortedKeys(m.Imports) {
			depID := m.Imports[path]
			if visiting[depID] {
				continue
			}
			w.str(path)
			w.hash(u.keyLocked(md, depID, visiting))
		}
	})
	delete(visiting, id)
	keys[id] = k
	return k
}

// retain drops packages that md no longer uses.
func (u *universe) retain(md *Metadata) {
	live := map[Hash]bool{}
	for id, m := range md.Packages {
		if !m.Workspace {
			live[u.key(md, id)] = true
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for k := range u.pkgs {
		if !live[k] {
			delete(u.pkgs, k)
		}
	}
	for old := range u.keys {
		if old != md {
			delete(u.keys, old)
		}
	}
}

// get returns the type-checked package id, checking it (and its
// dependencies) on first use. The computation is not tied to ctx: its
// result is useful to every later run.
func (u *universe) get(ctx context.Context, md *Metadata, id string, sem chan struct{}) (*types.Package, error) {
	if id == "unsafe" {
		return types.Unsafe, nil
	}
	k := u.key(md, id)
	u.mu.Lock()
	f, ok := u.pkgs[k]
	if !ok {
		f = &uniFuture{done: make(chan struct{})}
		u.pkgs[k] = f
		u.mu.Unlock()
		go func() {
			defer close(f.done)
			f.pkg, f.err = u.check(md, id, sem)
		}()
	} else {
		u.mu.Unlock()
	}
	select {
	case <-f.done:
		return f.pkg, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (u *universe) check(md *Metadata, id string, sem chan struct{}) (*types.Package, error) {
	m := md.Packages[id]
	if m == nil {
		return nil, fmt.Errorf("package %s is not in the package graph", id)
	}
	imports := map[string]*types.Package{}
	for path, depID := range m.Imports {
		if depID == id {
			continue
		}
		p, err := u.get(context.Background(), md, depID, sem)
		if err == nil {
			imports[path] = p
		}
	}
	sem <- struct{}{}
	defer func() { <-sem }()
	var files []*ast.File
	var toks []*token.File
	for _, name := range m.GoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		f, _ := parser.ParseFile(u.fset, name, src, parser.SkipObjectResolution)
		if f != nil {
			files = append(files, f)
			toks = append(toks, u.fset.File(f.FileStart))
		}
	}
	cfg := &types.Config{
		IgnoreFuncBodies: true,
		FakeImportC:      true,
		Sizes:            types.SizesFor("gc", runtime.GOARCH),
		Error:            func(error) {},
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if p, ok := imports[path]; ok {
				return p, nil
			}
			return nil, fmt.Errorf("no package for import %q", path)
		}),
	}
	pkg, _ := cfg.Check(m.PkgPath, u.fset, files, nil)
	u.mu.Lock()
	u.tokFiles = append(u.tokFiles, toks...)
	u.mu.Unlock()
	if pkg == nil {
		return nil, fmt.Errorf("type-checking %s failed", id)
	}
	return pkg, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
