// The race detector step of the test suite leaves these tests out: all
// they run is other processes (go vet, go fix and the binary, built
// without the detector), so they would only take their time again.

//go:build !race

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
)

// The findings of one run, each described with everything both go vet
// -json and check -format json print of it: position and extent, check,
// message, related information and the fixes' edits.
type described []string

// vetDiagnostic is a diagnostic as go vet -json prints it.
type vetDiagnostic struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	End      string `json:"end"`
	Message  string `json:"message"`
	Fixes    []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename   string `json:"filename"`
			Start, End int
			New        string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	Related []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// runVet runs go vet with the built binary as its tool on ./... in dir
// and describes its findings. A package or analyzer that failed fails t.
func runVet(t *testing.T, dir string) described {
	t.Helper()
	cmd := exec.Command("go", "vet", "-vettool="+binary, "-json", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go vet -vettool in %s: %v\n%s", dir, err, stderr.String())
	}
	if strings.TrimSpace(stderr.String()) != "" {
		t.Fatalf("go vet -vettool in %s wrote to stderr:\n%s", dir, stderr.String())
	}
	var out described
	seen := map[string]bool{}
	dec := json.NewDecoder(&stdout)
	for {
		// One object per package: package ID → analyzer → its
		// diagnostics, or {"error": …} when it failed.
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go vet -json output: %v\n%s", err, stdout.String())
		}
		for pkg, byAnalyzer := range tree {
			for analyzer, raw := range byAnalyzer {
				var diags []vetDiagnostic
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("go vet: %s on %s: %s", analyzer, pkg, raw)
				}
				for _, d := range diags {
					check := d.Category
					if check == "" {
						check = analyzer
					}
					file, line, col := splitPosn(t, d.Posn)
					endLine, endCol := line, col
					if d.End != "" {
						_, endLine, endCol = splitPosn(t, d.End)
					}
					// A file shared by two analysed variants of a
					// package is reported once, as check does.
					key := fmt.Sprintf("%s:%d:%d:%s:%s", file, line, col, check, d.Message)
					if seen[key] {
						continue
					}
					seen[key] = true
					f := report.Finding{Check: check, File: file, Line: line, Column: col, EndLine: endLine, EndCol: endCol, Message: d.Message}
					for _, r := range d.Related {
						rf, rl, rc := splitPosn(t, r.Posn)
						f.Related = append(f.Related, report.Related{File: rf, Line: rl, Column: rc, Message: r.Message})
					}
					for _, fix := range d.Fixes {
						rfix := report.Fix{Message: fix.Message}
						for _, e := range fix.Edits {
							rfix.Edits = append(rfix.Edits, report.Edit{File: e.Filename, Start: e.Start, End: e.End, New: e.New})
						}
						f.Fixes = append(f.Fixes, rfix)
					}
					out = append(out, describeFinding(dir, f))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// runCheckJSON runs check -format json with args on ./... in dir and
// returns its output and its findings, described as runVet describes them.
func runCheckJSON(t *testing.T, dir string, args ...string) (string, described) {
	t.Helper()
	r := runTool(t, dir, []string{"GOWORK=off", "GOFLAGS="}, append(append([]string{"check", "-format", "json"}, args...), "./...")...)
	if r.code == 2 || r.stderr != "" {
		t.Fatalf("check %v in %s: exit %d\n%s", args, dir, r.code, r.stderr)
	}
	var findings []report.Finding
	if err := json.Unmarshal([]byte(r.stdout), &findings); err != nil {
		t.Fatalf("check %v: %v\n%s", args, err, r.stdout)
	}
	var out described
	for _, f := range findings {
		out = append(out, describeFinding(dir, f))
	}
	sort.Strings(out)
	return r.stdout, out
}

// describeFinding describes f with paths relative to dir.
func describeFinding(dir string, f report.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s: %s", rel(dir, f.File), f.Line, f.Column, f.EndLine, f.EndCol, f.Check, f.Message)
	for _, r := range f.Related {
		fmt.Fprintf(&b, "\n  related %s:%d:%d %s", rel(dir, r.File), r.Line, r.Column, r.Message)
	}
	for _, fix := range f.Fixes {
		fmt.Fprintf(&b, "\n  fix %s", fix.Message)
		for _, e := range fix.Edits {
			fmt.Fprintf(&b, "\n    %s[%d:%d] %q", rel(dir, e.File), e.Start, e.End, e.New)
		}
	}
	return b.String()
}

// splitPosn splits go vet's "file:line:col".
func splitPosn(t *testing.T, posn string) (string, int, int) {
	t.Helper()
	rest, colText, ok1 := cutLast(posn)
	file, lineText, ok2 := cutLast(rest)
	line, err1 := strconv.Atoi(lineText)
	col, err2 := strconv.Atoi(colText)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		t.Fatalf("go vet printed the position %q", posn)
	}
	return file, line, col
}

func cutLast(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func rel(dir, file string) string {
	r, err := filepath.Rel(dir, file)
	if err != nil || strings.HasPrefix(r, "..") {
		return file
	}
	return filepath.ToSlash(r)
}

// sameFindings fails t when got differs from want, listing the findings
// only one of them has.
func sameFindings(t *testing.T, what string, want, got described) {
	t.Helper()
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	var diff []string
	for d, n := range count {
		switch {
		case n > 0:
			diff = append(diff, "missing: "+d)
		case n < 0:
			diff = append(diff, "extra: "+d)
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("%s: %d findings, want %d\n%s", what, len(got), len(want), strings.Join(diff, "\n"))
	}
}

// untilEdit ends the mark of a finding that goes away once the test edits
// store.Open to return a file it keeps.
const untilEdit = ", until store.Open keeps its file"

// marked returns "file:line check" for every line of the module in dir
// that ends in "// finding: CHECK" (or "// finding: CHECK" untilEdit,
// unless edited is set).
func marked(t *testing.T, dir string, edited bool) map[string]bool {
	t.Helper()
	mark := regexp.MustCompile(`// finding: (\w+)(` + regexp.QuoteMeta(untilEdit) + `)?$`)
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if m := mark.FindStringSubmatch(sc.Text()); m != nil && !(edited && m[2] != "") {
				out[fmt.Sprintf("%s:%d %s", rel(dir, path), n, m[1])] = true
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reported returns "file:line check" for every finding.
func reported(findings described) map[string]bool {
	out := map[string]bool{}
	head := regexp.MustCompile(`^([^:]+):(\d+):\d+-\d+:\d+ (\w+):`)
	for _, f := range findings {
		if m := head.FindStringSubmatch(f); m != nil {
			out[m[1]+":"+m[2]+" "+m[3]] = true
		}
	}
	return out
}

func sameSet(t *testing.T, what string, want, got map[string]bool) {
	t.Helper()
	var w, g []string
	for k := range want {
		w = append(w, k)
	}
	for k := range got {
		g = append(g, k)
	}
	sort.Strings(w)
	sort.Strings(g)
	if strings.Join(w, "\n") != strings.Join(g, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

// checkWays runs check on dir without its result cache, then with each
// of the argument lists in ways: every run prints the same JSON. It
// returns the findings.
func checkWays(t *testing.T, what, dir string, ways ...[]string) described {
	t.Helper()
	text, findings := runCheckJSON(t, dir, "-cache=off")
	for _, args := range ways {
		other, otherFindings := runCheckJSON(t, dir, args...)
		if other != text {
			sameFindings(t, fmt.Sprintf("%s: check %v against -cache=off", what, args), findings, otherFindings)
			if !t.Failed() {
				t.Errorf("%s: check %v prints other JSON than -cache=off:\n%s\nwant:\n%s", what, args, other, text)
			}
		}
	}
	return findings
}

func copyTree(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", from+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("copying %s: %v\n%s", from, err, out)
	}
	return dir
}

// TestVetToolSameAsCheck runs go vet -vettool with the binary and check
// on the same modules and finds the same findings, fixes included: on the
// bundled examples and on a module of three packages whose findings
// depend on facts about the packages they import (a helper that returns
// a file its caller owns, passed on through a second package; a release
// helper; a Close that is not idempotent; a returned cancel func), with
// tests in the package and outside it, a test that swaps a package
// variable for a stub that acquires (the package is judged as it ships),
// a generated file and a file the project configuration excludes; the
// lines marked "// finding: CHECK" are exactly those reported. check
// prints the same JSON without its result cache, with it (cold, then warm)
// and with -driver=checker.
// Then a dependency is edited so that the file it returns is no longer
// the caller's: with the cache of the previous runs, without a cache and
// under go vet, the leaks in its importer and in the importer's importer
// are gone.
func TestVetToolSameAsCheck(t *testing.T) {
	t.Run("examples", func(t *testing.T) {
		dir := copyTree(t, "../../examples")
		cache := "-cache=" + t.TempDir()
		findings := checkWays(t, "examples", dir, []string{"-driver=checker"}, []string{cache}, []string{cache})
		if len(findings) == 0 {
			t.Fatal("check reports nothing on examples/")
		}
		sameFindings(t, "go vet -vettool against check", findings, runVet(t, dir))
	})

	t.Run("facts", func(t *testing.T) {
		dir := copyTree(t, "testdata/vetparity")
		cache := "-cache=" + t.TempDir()
		findings := checkWays(t, "facts", dir, []string{"-driver=checker"}, []string{cache}, []string{cache})
		sameSet(t, "check reports", marked(t, dir, false), reported(findings))
		sameFindings(t, "go vet -vettool against check", findings, runVet(t, dir))

		// store.Open now returns a file the package keeps: its
		// callers own nothing, nor do their callers.
		path := filepath.Join(dir, "store", "store.go")
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		const from = "\treturn os.Open(path)\n}\n"
		const to = "\treturn shared, nil\n}\n\nvar shared *os.File\n"
		if !bytes.Contains(text, []byte(from)) {
			t.Fatalf("store/store.go no longer holds %q", from)
		}
		if err := os.WriteFile(path, bytes.Replace(text, []byte(from), []byte(to), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		edited := checkWays(t, "after the edit", dir, []string{cache})
		sameFindings(t, "after the edit: go vet -vettool against check", edited, runVet(t, dir))
		before, after := marked(t, dir, false), marked(t, dir, true)
		if len(before)-len(after) != 4 {
			t.Fatalf("testdata/vetparity marks %d findings that the edit removes, want 4", len(before)-len(after))
		}
		sameSet(t, "after the edit, check reports", after, reported(edited))
	})
}

// TestFixToolFixesShippedAndTestFiles runs go fix with the binary as its
// tool on the package of testdata/vetparity that has in-package tests:
// the fixes of both parts the tool analyses it in (the shipped files, the
// test files) are applied, the stub-judged Remote is left alone, and the
// package still compiles.
func TestFixToolFixesShippedAndTestFiles(t *testing.T) {
	dir := copyTree(t, "testdata/vetparity")
	cmd := exec.Command("go", "fix", "-fixtool="+binary, "./svc")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go fix -fixtool: %v\n%s", err, out)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, "svc", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	shipped, tests := read("svc.go"), read("svc_test.go")
	const released = "\tif err != nil {\n\t\treturn 0, err\n\t}\n\tdefer f.Close()\n\tst, err := f.Stat()"
	if !strings.Contains(shipped, released) {
		t.Errorf("Size in svc.go was not fixed:\n%s", shipped)
	}
	if strings.Contains(shipped, "defer c.Close()") {
		t.Errorf("Remote in svc.go got a release of a connection it does not own:\n%s", shipped)
	}
	if !strings.Contains(tests, "\t\tt.Fatal(err)\n\t}\n\tdefer f.Close()\n") {
		t.Errorf("TestSize in svc_test.go was not fixed:\n%s", tests)
	}
	vet := exec.Command("go", "vet", "./svc")
	vet.Dir = dir
	vet.Env = cmd.Env
	if out, err := vet.CombinedOutput(); err != nil {
		t.Errorf("the fixed package does not build and vet clean: %v\n%s", err, out)
	}
}
