package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// TestExamples runs the README's main job on a copy of the bundled examples:
// every check reports its seeded findings there, every finding with a fix
// is fixed by -fix, and the fixed module is gofmt-clean, compiles, and
// leaves only the findings that have no fix.
func TestExamples(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", "../../examples/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("copying examples: %v\n%s", err, out)
	}
	// Every check, those off by default too: each has its seeded example.
	r := runTool(t, dir, nil, "check", "-checks", "all", "-format", "json", "./...")
	if r.code != 1 {
		t.Fatalf("check on examples: exit %d, want 1 (findings)\nstderr: %s", r.code, r.stderr)
	}
	var before []struct {
		Check, File, Message string
		Fixes                []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &before); err != nil {
		t.Fatal(err)
	}
	perCheck := map[string]int{}
	unfixable := map[string]int{}
	for _, f := range before {
		perCheck[f.Check]++
		if len(f.Fixes) == 0 {
			unfixable[f.Check+": "+f.Message]++
			rel, _ := filepath.Rel(dir, f.File)
			checkDocumentedException(t, f.Check, filepath.ToSlash(rel), f.Message)
		}
	}
	for _, c := range checkNames(t) {
		if perCheck[c] == 0 {
			t.Errorf("check %s reports nothing on examples/: each check needs a seeded example", c)
		}
	}
	if perCheck["leak"] < 6 {
		t.Errorf("leak reports %d findings on examples/, want at least the 6 seeded ones", perCheck["leak"])
	}

	r = runTool(t, dir, nil, "check", "-checks", "all", "-fix", "./...")
	if r.code == 2 {
		t.Fatalf("check -fix: exit 2\nstderr: %s", r.stderr)
	}
	if out, err := exec.Command("gofmt", "-l", dir).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("fixed examples are not gofmt-clean: %s %v", out, err)
	}
	vet := exec.Command("go", "build", "./...")
	vet.Dir = dir
	if out, err := vet.CombinedOutput(); err != nil {
		t.Fatalf("fixed examples do not compile: %v\n%s", err, out)
	}
	r = runTool(t, dir, nil, "check", "-checks", "all", "-format", "json", "./...")
	var after []struct{ Check, File, Message string }
	if err := json.Unmarshal([]byte(r.stdout), &after); err != nil {
		t.Fatal(err)
	}
	for _, f := range after {
		key := f.Check + ": " + f.Message
		if unfixable[key] > 0 {
			unfixable[key]--
			continue
		}
		rel, _ := filepath.Rel(dir, f.File)
		t.Errorf("after -fix: %s: %s (%s) remains or is new", rel, f.Message, f.Check)
	}
}

// fixExceptions are the findings of examples/ that deliberately have no
// fix, by check and file, with the sentence of the check's documentation
// that says why.
// None today: every finding in examples/ has a fix (the checks' testdata
// hold the deliberate no-fix cases).
var fixExceptions = map[string]string{}

// checkDocumentedException fails t unless a finding without a fix is one of
// fixExceptions and its check's documentation still gives the reason.
func checkDocumentedException(t *testing.T, check, file, message string) {
	t.Helper()
	reason, ok := fixExceptions[check+" "+file]
	if !ok {
		t.Errorf("%s: %s (%s) has no fix and is not a documented exception", file, message, check)
		return
	}
	c, ok := catalogue.Lookup(catalogue.All(), check)
	if !ok {
		t.Fatalf("unknown check %s", check)
	}
	if !strings.Contains(strings.Join(strings.Fields(c.Analyzer.Doc), " "), reason) {
		t.Errorf("%s: the documentation of %s no longer says why %s has no fix (%q)", file, check, message, reason)
	}
}

func checkNames(t *testing.T) []string {
	r := runTool(t, ".", nil, "help")
	var names []string
	inChecks := false
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(line, "Checks:") {
			inChecks = true
			continue
		}
		if inChecks && strings.HasPrefix(line, "  ") {
			names = append(names, strings.Fields(line)[0])
		}
	}
	if len(names) == 0 {
		t.Fatal("help lists no checks")
	}
	return names
}

func init() {
	// The examples module must not pick up a go.work from above.
	os.Setenv("GOWORK", "off")
}
