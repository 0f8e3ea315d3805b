package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fixSample returns a sample package whose fixes take more than one pass
// (see codeaction/fixpoint/testdata/README.md).
func fixSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "codeaction", "fixpoint", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fixedModule checks that a module fixed by -fix is gofmt-clean, builds and
// has no finding left.
func fixedModule(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("gofmt", "-l", dir).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("not gofmt-clean: %s %v", out, err)
	}
	build := exec.Command("go", "build", "./...")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Errorf("does not build: %v\n%s", err, out)
	}
	if r := runTool(t, dir, nil, "check", "./..."); r.code != 0 {
		t.Errorf("after -fix: exit %d\n%s", r.code, r.stdout)
	}
}

func TestFixReachesAFixpoint(t *testing.T) {
	nestedLoops := fixSample(t, "nestedloops.go.txt")
	dir := module(t, map[string]string{"a.go": nestedLoops})
	r := runTool(t, dir, nil, "check", "-diff", "./...")
	if r.code != 1 || strings.Count(r.stdout, "func() ") != 2 {
		t.Fatalf("-diff: exit %d, want 1 (findings in the unchanged code) and both loops wrapped\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.go")); string(got) != nestedLoops {
		t.Fatal("-diff modified the file")
	}
	r = runTool(t, dir, nil, "check", "-fix", "./...")
	if r.code != 0 || !strings.Contains(r.stderr, "applied 2 fixes to 1 files in 2 rounds") {
		t.Fatalf("-fix: exit %d, stderr %q", r.code, r.stderr)
	}
	fixedModule(t, dir)
}

func TestFixesAddingTheSameImportBothApply(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixSample(t, "twohoists.go.txt")})
	r := runTool(t, dir, nil, "check", "-fix", "./...")
	if r.code != 0 || !strings.Contains(r.stderr, "applied 2 fixes") {
		t.Fatalf("-fix: exit %d, stderr %q", r.code, r.stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "a.go"))
	if strings.Count(string(got), `"sync"`) != 1 || strings.Count(string(got), "sync.OnceValue(") != 2 {
		t.Errorf("fixed file:\n%s", got)
	}
	fixedModule(t, dir)
}

func TestFixWithABrokenPackageFixesTheRest(t *testing.T) {
	// A package that does not load is neither analysed nor touched; the
	// others are fixed, and the exit status reports the trouble.
	const broken = "package broken\n\nfunc f() {\n"
	dir := module(t, map[string]string{
		"good/a.go":   strings.Replace(fixSample(t, "nestedloops.go.txt"), "package m", "package good", 1),
		"broken/b.go": broken,
	})
	r := runTool(t, dir, nil, "check", "-fix", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, "applied 2 fixes") {
		t.Fatalf("-fix: exit %d, want 2 with the good package fixed; stderr %q", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "broken", "b.go")); string(got) != broken {
		t.Errorf("the broken file was changed: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "good", "a.go")); strings.Count(string(got), "func() ") != 2 {
		t.Errorf("the good package was not fixed:\n%s", got)
	}
}
