package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
)

// appendFix returns a finding on file whose fix appends text to content.
func appendFix(file string, content []byte, text string) report.Finding {
	n := len(content)
	return report.Finding{File: file, Line: 1, Check: "t", Message: "m",
		Fixes: []report.Fix{{Message: "append", Edits: []report.Edit{{File: file, Start: n, End: n, New: text}}}}}
}

func tempFile(t *testing.T, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "a.go")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestFixpointUndoesARoundThatBreaksAPackage(t *testing.T) {
	file := tempFile(t, "package a\n")
	first := fixRound{findings: []report.Finding{appendFix(file, []byte("package a\n"), "func {\n")}}
	fp, err := fixToFixpoint(first, func(patterns []string, overlay map[string][]byte) (fixRound, error) {
		return fixRound{trouble: true}, nil // the fixed text does not load
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fp.after) != 0 || fp.applied != 0 || !strings.Contains(fp.reverted, "round 1") || len(fp.remaining) != 1 {
		t.Errorf("fixpoint kept a breaking round: after %v, applied %d, reverted %q, remaining %d", fp.after, fp.applied, fp.reverted, len(fp.remaining))
	}
}

func TestFixpointIsBounded(t *testing.T) {
	file := tempFile(t, "package a\n")
	first := fixRound{findings: []report.Finding{appendFix(file, []byte("package a\n"), "//x\n")}}
	calls := 0
	fp, err := fixToFixpoint(first, func(patterns []string, overlay map[string][]byte) (fixRound, error) {
		calls++
		// A fix that never makes its finding go away.
		return fixRound{findings: []report.Finding{appendFix(file, overlay[file], "//x\n")}, dirs: map[string]string{file: filepath.Dir(file)}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fp.rounds != maxFixRounds || calls != maxFixRounds || len(fp.remaining) != 1 {
		t.Errorf("rounds %d, analyses %d, remaining %d; want %d rounds and the finding left", fp.rounds, calls, len(fp.remaining), maxFixRounds)
	}
	if got := strings.Count(string(fp.after[file]), "//x"); got != maxFixRounds {
		t.Errorf("the final text has %d appended lines, want %d", got, maxFixRounds)
	}
	if on, _ := os.ReadFile(file); string(on) != "package a\n" {
		t.Errorf("the fixpoint wrote the file: %q", on)
	}
}
