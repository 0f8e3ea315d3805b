package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `# the team's settings
checks:
  closeerr: false
severity:
  leak: error
extraResourceTypes:
  - "*example.com/pool.Conn"
releaseMethods:
  "*example.com/lease.Lease": [Return]
exclude:
  - vendor
  - "**/*.pb.go"
overrides:
  - paths: ["internal/legacy/**"]
    checks:
      leak: false
    severity:
      loopdefer: hint
  - paths: ["internal/legacy/keep.go"]
    checks:
      leak: true
`

func TestParseAndQuery(t *testing.T) {
	f, err := Parse("/repo/.lifecycle.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		check, file string
		on          bool
		sev         string
	}{
		{"leak", "/repo/a.go", true, "error"},
		{"closeerr", "/repo/a.go", false, "warning"},
		{"leak", "/repo/internal/legacy/old.go", false, "error"},
		{"leak", "/repo/internal/legacy/keep.go", true, "error"},
		{"loopdefer", "/repo/internal/legacy/x/y.go", true, "hint"},
		{"loopdefer", "/repo/internal/legacyish.go", true, "warning"},
	}
	for _, c := range cases {
		if got := f.Enabled(c.check, c.file, true); got != c.on {
			t.Errorf("Enabled(%s, %s) = %v, want %v", c.check, c.file, got, c.on)
		}
		if got := f.SeverityOf(c.check, c.file); got != c.sev {
			t.Errorf("SeverityOf(%s, %s) = %q, want %q", c.check, c.file, got, c.sev)
		}
	}
	for file, want := range map[string]bool{
		"/repo/vendor/x/y.go":    true,
		"/repo/api/v1/a.pb.go":   true,
		"/repo/a.pb.go":          true,
		"/repo/vendored/a.go":    false,
		"/repo/api/v1/a.go":      false,
		"/elsewhere/vendor/a.go": false,
	} {
		if got := f.Excluded(file); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", file, got, want)
		}
	}
	if f.MayRun("closeerr", true) || !f.MayRun("leak", true) {
		t.Error("MayRun: closeerr is off everywhere, leak is on somewhere")
	}
	cfg := f.Catalogue()
	if len(cfg.ExtraTypes) != 1 || len(cfg.ReleaseMethods["*example.com/lease.Lease"]) != 1 {
		t.Errorf("Catalogue() = %+v", cfg)
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"checks:\n  leak: true\n  nosuch: false\n", "x.yaml:3: unknown check \"nosuch\""},
		{"severity:\n  leak: fatal\n", "x.yaml:2: severity of leak: \"fatal\" is not one of error, warning, information, hint"},
		{"checks:\n  leak: maybe\n", "x.yaml:2: cannot unmarshal"},
		{"chekcs:\n  leak: true\n", "x.yaml:1: field chekcs not found"},
		{"exclude:\n  - ok\n  - \"[\"\n", "x.yaml:3: path pattern \"[\""},
		{"extraResourceTypes:\n  - notatype\n", "x.yaml:1: resource type \"notatype\""},
		{"releaseMethods:\n  \"*a.com/b.C\": [release]\n", "x.yaml:1: release methods of \"*a.com/b.C\""},
		{"overrides:\n  - checks: {leak: false}\n", "x.yaml:2: an override needs paths"},
		{"overrides:\n  - paths: [a]\n    severity:\n      leak: loud\n", "x.yaml:4: severity of leak"},
		{"checks: [leak\n", "x.yaml:1: did not find expected"},
	} {
		_, err := Parse("x.yaml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.text, err, c.want)
		}
	}
}

func TestFindStopsAtTheRepositoryRoot(t *testing.T) {
	outer := t.TempDir()
	repo := filepath.Join(outer, "repo")
	mod := filepath.Join(repo, "svc", "api")
	for _, d := range []string{filepath.Join(repo, ".git"), mod} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A file above the repository root does not govern it.
	if err := os.WriteFile(filepath.Join(outer, FileName), []byte("checks: {leak: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := Find(mod); err != nil || p != "" {
		t.Fatalf("Find = %q, %v; want none", p, err)
	}
	f, err := ForDir(mod)
	if err != nil || f.Path != "" || !f.Enabled("leak", filepath.Join(mod, "a.go"), true) {
		t.Fatalf("ForDir without a file: %+v, %v", f, err)
	}
	if err := os.WriteFile(filepath.Join(repo, FileName), []byte("checks: {leak: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err = ForDir(mod)
	if err != nil || f.Path != filepath.Join(repo, FileName) || f.Enabled("leak", filepath.Join(mod, "a.go"), true) {
		t.Fatalf("ForDir: %+v, %v", f, err)
	}
	// The module's own file wins over the repository's.
	if err := os.WriteFile(filepath.Join(mod, FileName), []byte("severity: {leak: hint}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, _ := Find(mod); p != filepath.Join(mod, FileName) {
		t.Fatalf("Find = %q, want the module's file", p)
	}
}

func TestExplainPrintsEffectiveSettings(t *testing.T) {
	f, err := Parse("/repo/.lifecycle.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if err := f.Explain(&sb); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, want := range []string{"# from /repo/.lifecycle.yaml", "closeerr: false", "leak: true", "leak: error", "loopdefer: warning", "generated: false", "internal/legacy/**"} {
		if !strings.Contains(out, want) {
			t.Errorf("Explain lacks %q:\n%s", want, out)
		}
	}
	// What Explain prints is itself a valid configuration.
	if _, err := Parse("explained.yaml", []byte(out)); err != nil {
		t.Errorf("Explain's output does not parse: %v\n%s", err, out)
	}
}
