package streamdriver

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCacheFollowsDependencies edits a dependency whose facts decide a
// finding in the package that imports it and in a package that imports
// that one: both importers are analysed again and their findings go
// away, the edited package is analysed again, and an unrelated package
// still comes from the cache. Every run equals a run of checker.Analyze
// on the same tree.
func TestCacheFollowsDependencies(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a/a.go": `package a

import "os"

// Open opens the file at p; the caller owns it.
func Open(p string) (*os.File, error) { return os.Open(p) }
`,
		"b/b.go": `package b

import (
	"os"

	"example.com/m/a"
)

func Size(p string) (int64, error) {
	f, err := a.Open(p)
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Reopen passes on a.Open's file.
func Reopen(p string) (*os.File, error) { return a.Open(p) }
`,
		"d/d.go": `package d

import "example.com/m/b"

func Name(p string) (string, error) {
	f, err := b.Reopen(p)
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}
`,
		"c/c.go": "package c\n\nfunc Leaf() int { return 1 }\n",
	})
	analyzers := catalogue.Analyzers(catalogue.All())
	cfg := packages.Config{Dir: dir, Tests: true}
	cache, err := OpenCache(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	const b, a, c, d = "example.com/m/b", "example.com/m/a", "example.com/m/c", "example.com/m/d"
	leaks := func(r results, pkg string) int {
		n := 0
		for _, d := range r[pkg] {
			if strings.HasPrefix(d, "leak ") {
				n++
			}
		}
		return n
	}

	cold, cached := withStream(t, cfg, analyzers, cache, "./...")
	compare(t, "cold", withChecker(t, cfg, analyzers, "./..."), cold)
	if leaks(cold, b) != 1 || leaks(cold, d) != 1 {
		t.Fatalf("cold run: %d leaks in b and %d in d, want 1 each (a.Open's file is never closed):\n%s\n%s", leaks(cold, b), leaks(cold, d), strings.Join(cold[b], "\n"), strings.Join(cold[d], "\n"))
	}
	for id, hit := range cached {
		if hit {
			t.Errorf("cold run: %s came from an empty cache", id)
		}
	}

	warm, cached := withStream(t, cfg, analyzers, cache, "./...")
	compare(t, "warm", cold, warm)
	for _, id := range []string{a, b, c, d} {
		if !cached[id] {
			t.Errorf("warm run: %s was analysed again", id)
		}
	}

	// a.Open now hands out a file it keeps: the caller owns nothing.
	writeFiles(t, dir, map[string]string{"a/a.go": `package a

import "os"

var shared *os.File

// Open returns the shared file, which stays open.
func Open(p string) (*os.File, error) { return shared, nil }
`})
	edited, cached := withStream(t, cfg, analyzers, cache, "./...")
	compare(t, "after the edit", withChecker(t, cfg, analyzers, "./..."), edited)
	if leaks(edited, b) != 0 || leaks(edited, d) != 0 {
		t.Errorf("after the edit: %d leaks in b and %d in d, want none:\n%s\n%s", leaks(edited, b), leaks(edited, d), strings.Join(edited[b], "\n"), strings.Join(edited[d], "\n"))
	}
	if cached[a] || cached[b] || cached[d] {
		t.Errorf("after the edit: a from the cache %v, b %v, d %v; want all three analysed again", cached[a], cached[b], cached[d])
	}
	if !cached[c] {
		t.Errorf("after the edit: c, which imports nothing edited, was analysed again")
	}
}

// TestCacheEntriesComplete checks that a run fills the cache (the
// dependencies, the standard library's packages included, get entries)
// and leaves no temporary file behind.
func TestCacheEntriesComplete(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"c/c.go": "package c\n\nfunc Leaf() int { return 1 }\n",
	})
	cacheDir := t.TempDir()
	cache, err := OpenCache(cacheDir, "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg := packages.Config{Dir: dir}
	analyzers := catalogue.Analyzers(catalogue.All())
	withStream(t, cfg, analyzers, cache, "./...")
	var entries, temps int
	err = filepath.WalkDir(cacheDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(d.Name(), ".tmp") {
			temps++
		} else {
			entries++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if entries == 0 || temps != 0 {
		t.Errorf("cache holds %d entries and %d temporary files; want some entries and no temporary file", entries, temps)
	}
}

// TestCacheTrim checks that opening a cache removes the entries no run
// used for longer than maxAge, keeps the others, and trims at most once
// per trimEvery.
func TestCacheTrim(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenCache(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	old, fresh := strings.Repeat("a", 64), strings.Repeat("b", 64)
	c.put(old, []byte("old"))
	c.put(fresh, []byte("fresh"))
	long := time.Now().Add(-maxAge - time.Hour)
	if err := os.Chtimes(c.file(old), long, long); err != nil {
		t.Fatal(err)
	}
	c.trim(time.Now()) // trimmed a moment ago by OpenCache: nothing happens
	if _, ok := c.get(old); !ok {
		t.Fatal("an entry was removed before a day had passed since the last trim")
	}
	if err := os.Chtimes(c.file(old), long, long); err != nil { // get refreshed it
		t.Fatal(err)
	}
	c.trim(time.Now().Add(trimEvery + time.Hour))
	if _, ok := c.get(old); ok {
		t.Error("an entry unused for longer than maxAge was kept")
	}
	if data, ok := c.get(fresh); !ok || string(data) != "fresh" {
		t.Errorf("a recent entry was lost: %q %v", data, ok)
	}
}

// TestCacheOnly runs with Options.CacheOnly: on an empty cache, and after
// an edit, Analyze gives up with ErrNotCached; once every package's
// results are cached it gives the results of a run that analyses.
func TestCacheOnly(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"a/a.go": "package a\n\nimport \"os\"\n\nfunc Leak(p string) { f, _ := os.Open(p); _ = f }\n",
		"b/b.go": "package b\n\nimport \"example.com/m/a\"\n\nfunc Use() { a.Leak(\"x\") }\n",
	})
	analyzers := catalogue.Analyzers(catalogue.All())
	cfg := packages.Config{Dir: dir, Tests: true, Mode: LoadMode}
	cache, err := OpenCache(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	only := func() (results, error) {
		pkgs, err := packages.Load(&cfg, "./...")
		if err != nil {
			t.Fatal(err)
		}
		out := results{}
		err = Analyze(context.Background(), analyzers, pkgs, Options{Cache: cache, CacheOnly: true}, func(r Root) {
			out.add(r.Package.ID, r.Package.Fset, r.Actions, r.Package.Syntax, r.Enclosing)
		})
		return out, err
	}
	if _, err := only(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("on an empty cache: %v, want ErrNotCached", err)
	}
	cold, _ := withStream(t, cfg, analyzers, cache, "./...")
	got, err := only()
	if err != nil {
		t.Fatalf("once the cache is filled: %v", err)
	}
	compare(t, "cache only", cold, got)
	if len(got["example.com/m/a"]) == 0 {
		t.Errorf("the leak in a was not reported from the cache")
	}
	writeFiles(t, dir, map[string]string{"a/a.go": "package a\n\nimport \"os\"\n\nfunc Leak(p string) { f, _ := os.Open(p); f.Close() }\n"})
	if _, err := only(); !errors.Is(err, ErrNotCached) {
		t.Fatalf("after an edit: %v, want ErrNotCached", err)
	}
}
