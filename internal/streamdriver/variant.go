package streamdriver

import (
	"crypto/sha256"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
)

// A package that imports one under test is compiled again for that test
// ("q [p.test]" beside "q"): the same files, type-checked against the test
// variant of p. Nothing is reported in such a recompiled dependency; only
// its facts (for its importers) and its API are needed. Its facts are
// those of q whenever its imports' facts are those q sees: the analyzers
// are deterministic functions of the package's files, its imports' types
// and their facts, and q's files cannot name what p's test files declare.
// So the driver takes q's facts and checks only the API of q [p.test], when
// an importer needs it, instead of type-checking and analysing every body
// again (on std, two thirds of all packages are such recompiled
// dependencies, and they took a third of the time).
//
// Whether an import's facts are those its plain package has is decided,
// not assumed: for a plain package, trivially; for a recompiled one, when
// its own facts were taken so; for the test variant itself ("p [p.test]",
// analysed as a root), when its facts about the objects p declares as well
// have the same digest as p's facts. When p's test files change what the
// analyzers conclude about p's own functions, the digests differ and the
// dependants are analysed in full.

// reusesFacts gives n, a recompiled dependency, the facts of its plain
// package when that is exact, and reports whether it did. It waits for n's
// imports and its plain package to be done.
func (r *run) reusesFacts(n *node) bool {
	if n.root || n.plain == nil || !slices.Equal(n.pkg.CompiledGoFiles, n.plain.pkg.CompiledGoFiles) {
		return false
	}
	<-n.plain.done
	if !n.plain.clean || r.ctx.Err() != nil {
		return false
	}
	for _, dep := range n.imports {
		<-dep.done
		if !r.sameFactsAsPlain(dep) {
			return false
		}
	}
	facts := r.factsOf(n.plain)
	if facts == nil {
		return false
	}
	n.facts, n.reused = facts, true
	if r.opts.reused != nil {
		r.opts.reused(n.pkg.ID)
	}
	if r.opts.Cache != nil && n.key != "" && !r.cacheFailed() {
		r.opts.Cache.put(n.key, encodeEntry(r.fset, nil, driver.Result{Facts: facts}))
	}
	return true
}

// sameFactsAsPlain reports whether the facts of dep, a done package, are
// those of the package as it ships.
func (r *run) sameFactsAsPlain(dep *node) bool {
	switch {
	case dep.pkg.ID == dep.pkg.PkgPath || dep.pkg.PkgPath == "unsafe":
		return true
	case dep.plain == nil || !dep.clean:
		return false
	case dep.reused:
		return true
	case dep.hasNonTest:
		<-dep.plain.done
		return dep.plain.clean && dep.nonTest == r.factsDigest(dep.plain)
	}
	return false
}

// factsDigest returns the digest of a done package's facts.
func (r *run) factsDigest(n *node) [sha256.Size]byte {
	n.hashOnce.Do(func() {
		n.factsHash = r.factsOf(n).Hash()
	})
	return n.factsHash
}

// setNonTest records, for n, an analysed variant of a package, the digest
// of its facts about what its plain package declares too, unless its own
// files add methods to the plain package's types (then importers see types
// the plain package does not have, and no digest stands for that).
func (r *run) setNonTest(n *node, c *checked) {
	shared := map[string]bool{}
	for _, name := range n.plain.pkg.CompiledGoFiles {
		shared[name] = true
	}
	for _, f := range c.files {
		if shared[r.fset.File(f.Pos()).Name()] {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			fn, ok := c.info.Defs[fd.Name].(*types.Func)
			if !ok {
				return
			}
			recv := fn.Type().(*types.Signature).Recv().Type()
			if ptr, ok := recv.(*types.Pointer); ok {
				recv = ptr.Elem()
			}
			named, ok := types.Unalias(recv).(*types.Named)
			if !ok {
				return
			}
			if file := r.fset.File(named.Obj().Pos()); file == nil || shared[file.Name()] {
				return // a method added to a type of the plain package
			}
		}
	}
	n.nonTest, n.hasNonTest = sharedFactsDigest(r.fset, n.facts, c.pkg, shared), true
}

// sharedFactsDigest returns the digest of facts, those of an analysed
// variant of a package, about the package and the objects declared in
// the files its plain package has too (shared), not in the test files
// only the variant has.
func sharedFactsDigest(fset *token.FileSet, facts *driver.Facts, pkg *types.Package, shared map[string]bool) [sha256.Size]byte {
	kept := driver.NewFacts()
	facts.Each(func(path objectpath.Path, fact analysis.Fact) {
		if path != "" {
			obj, err := objectpath.Object(pkg, path)
			if err != nil {
				return
			}
			f := fset.File(obj.Pos())
			if f == nil || !shared[f.Name()] {
				return
			}
		}
		kept.Add(path, fact)
	})
	return kept.Hash()
}
