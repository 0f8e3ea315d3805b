package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/pkgmeta"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/streamdriver"
)

// A guess is the outcome of a run on the package metadata the last run of
// the same patterns listed, computed from the result cache alone while the
// go command lists the packages again. It stands only when the go command
// lists exactly that metadata (the packages, their files, imports, module
// and sizes): the results of a package are decided by those and by its
// files' contents, which the guess read as any run does. On unchanged
// code the go command's listing, the largest part of such a run, then
// overlaps the reading of the cache instead of preceding it.
type guess struct {
	// meta is the encoded metadata the guess was computed on (nil when
	// none was cached).
	meta []byte
	// roots and outcomes are the guess (nil when some package's results
	// were not cached).
	roots    []*packages.Package
	outcomes map[string]rootOutcome
}

// guessFromCache makes the guess for a run with opts, on the metadata
// cached under key ("" for none). It costs a cache read when the
// metadata is not cached or some package's results are not: the guess
// then gives up at the first package that would need analysing.
func (a analysisRun) guessFromCache(key string, opts streamdriver.Options) guess {
	if key == "" {
		return guess{}
	}
	data, ok := a.cache.Get(key)
	if !ok {
		return guess{}
	}
	g := guess{meta: data}
	roots, err := pkgmeta.Decode(data)
	if err != nil {
		return g
	}
	opts.CacheOnly = true
	outcomes := map[string]rootOutcome{}
	if streamdriver.Analyze(context.Background(), a.analyzers, roots, opts, a.collect(outcomes)) != nil {
		return g
	}
	g.roots, g.outcomes = roots, outcomes
	return g
}

// metadataKey names the cached metadata of a load. The metadata is only
// ever used once the go command has listed the same, so the key need not
// capture everything that decides it; it keeps apart the loads that
// differ in what they list (patterns, directory, build flags, tests, the
// go command's environment), which would otherwise replace each other's
// metadata.
func metadataKey(salt string, cfg *packages.Config, patterns []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "package metadata\nsalt %s\nmode %d tests %v\n", salt, cfg.Mode, cfg.Tests)
	dir := cfg.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	fmt.Fprintf(h, "dir %q\nflags %q\npatterns %q\n", dir, cfg.BuildFlags, patterns)
	var env []string
	for _, kv := range append(os.Environ(), cfg.Env...) {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") || strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "env %q\n", env)
	return hex.EncodeToString(h.Sum(nil))
}

// digestsKey names the cached digests of the files of the load whose
// metadata is cached under metaKey (see filedigest).
func digestsKey(metaKey string) string {
	sum := sha256.Sum256([]byte("file digests\n" + metaKey))
	return hex.EncodeToString(sum[:])
}

// loadedCleanly reports whether no package of the graph has errors: a
// guess on a graph with errors would give up at the first of them, so its
// metadata is not worth keeping.
func loadedCleanly(roots []*packages.Package) bool {
	clean := true
	packages.Visit(roots, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 {
			clean = false
		}
	})
	return clean
}
