package loaderr

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"err: exit status 1: stderr: go: errors parsing go.mod:\n/m/go.mod:4: unknown directive: foo\n": "go: errors parsing go.mod:\n/m/go.mod:4: unknown directive: foo",
		"-: pattern ./nope/...: lstat ./nope/: no such file or directory":                               "pattern ./nope/...: lstat ./nope/: no such file or directory",
		"a.go:3:1: expected operand": "a.go:3:1: expected operand",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSelectCutsTheCascade(t *testing.T) {
	errs := []packages.Error{
		{Pos: "a.go:7:1", Msg: "expected operand", Kind: packages.ParseError},
		{Pos: "a.go:12:3", Msg: "expected ')'", Kind: packages.ParseError},
		{Pos: "b.go:2:1", Msg: "expected declaration", Kind: packages.ParseError},
		{Pos: "a.go:6:7", Msg: "assignment mismatch", Kind: packages.TypeError},
	}
	got := strings.Join(Select(errs), "|")
	if want := "a.go:7:1: expected operand|b.go:2:1: expected declaration"; got != want {
		t.Errorf("Select = %q, want %q", got, want)
	}
	var many []packages.Error
	for range 15 {
		many = append(many, packages.Error{Pos: "a.go:1:1", Msg: "undefined: x", Kind: packages.TypeError})
	}
	if got := Select(many); len(got) != maxTypeErrors+1 || got[maxTypeErrors] != "too many errors" {
		t.Errorf("Select of 15 type errors: %q", got)
	}
}
