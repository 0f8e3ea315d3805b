package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/streamdriver"
)

// TestGuessStandsOnlyOnTheSameMetadata runs check with a cache through
// edits that change the package metadata (a new file) and that change only
// a file's content (one whose digest the cache remembers). A guess from the cache is used only when the go
// command lists what it was made from, and every run's findings equal
// those of a run without the cache.
func TestGuessStandsOnlyOnTheSameMetadata(t *testing.T) {
	dir := module(t, map[string]string{
		"a/a.go": "package a\n\nimport \"os\"\n\n// Open opens p; the caller owns the file.\nfunc Open(p string) (*os.File, error) { return os.Open(p) }\n",
		"b/b.go": "package b\n\nimport \"example.com/m/a\"\n\nfunc Name(p string) string {\n\tf, err := a.Open(p)\n\tif err != nil {\n\t\treturn \"\"\n\t}\n\treturn f.Name()\n}\n",
	})
	t.Chdir(dir)
	// Files older than a run by two seconds have their digests
	// remembered between runs (filedigest): the edit below is of such a
	// file.
	time.Sleep(2100 * time.Millisecond)
	cache, err := streamdriver.OpenCache(t.TempDir(), "test")
	if err != nil {
		t.Fatal(err)
	}
	run := func(cache *streamdriver.Cache) (findings []string, made, used bool) {
		t.Helper()
		a := analysisRun{patterns: []string{"./..."}, tests: true, analyzers: catalogue.Analyzers(catalogue.All()),
			stream: true, cache: cache, guessed: func(m, u bool) { made, used = m, u }}
		_, fs, trouble, err := analyzeStreaming(a, io.Discard)
		if err != nil || trouble {
			t.Fatalf("check: %v (trouble %v)", err, trouble)
		}
		for _, f := range fs {
			findings = append(findings, fmt.Sprintf("%s:%d:%d: %s: %s", filepath.Base(f.File), f.Line, f.Column, f.Check, f.Message))
		}
		return findings, made, used
	}
	step := func(what string, wantMade, wantUsed bool, wantFindings int) {
		t.Helper()
		got, made, used := run(cache)
		want, _, _ := run(nil)
		if made != wantMade || used != wantUsed {
			t.Errorf("%s: guess made %v, used %v; want %v, %v", what, made, used, wantMade, wantUsed)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: with the cache:\n%v\nwithout:\n%v", what, got, want)
		}
		if len(got) != wantFindings {
			t.Errorf("%s: %d findings, want %d: %v", what, len(got), wantFindings, got)
		}
	}
	step("cold", false, false, 1)
	step("warm", true, true, 1)
	// A new file: every package listed before is cached, so a guess is
	// made, but the go command lists another file and the guess falls.
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b/c.go", "package b\n\nimport \"example.com/m/a\"\n\nfunc Size(p string) int64 {\n\tf, err := a.Open(p)\n\tif err != nil {\n\t\treturn 0\n\t}\n\tst, _ := f.Stat()\n\treturn st.Size()\n}\n")
	step("after a new file", true, false, 2)
	step("warm again", true, true, 2)
	// Only content changes, in a file whose digest was remembered: the
	// guess gives up at the edited package.
	write("b/b.go", "package b\n\nimport \"example.com/m/a\"\n\nfunc Name(p string) string {\n\tf, err := a.Open(p)\n\tif err != nil {\n\t\treturn \"\"\n\t}\n\tdefer f.Close()\n\treturn f.Name()\n}\n")
	step("after an edit", false, false, 1)
	step("warm after the edit", true, true, 1)
}
