package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// legacyLeak is leaky in a package under legacy/.
var legacyLeak = strings.Replace(leaky, "package m", "package legacy", 1)

const projectConfig = `severity:
  leak: error
exclude:
  - gen
overrides:
  - paths: ["legacy/**"]
    checks:
      leak: false
`

func TestProjectConfigShapesCheck(t *testing.T) {
	dir := module(t, map[string]string{
		"a.go":             leaky,
		"legacy/legacy.go": legacyLeak,
		"gen/gen.go":       strings.Replace(leaky, "package m", "package gen", 1),
		".lifecycle.yaml":  projectConfig,
	})
	r := runTool(t, dir, nil, "check", "-format", "json", "./...")
	var findings []struct{ File, Check, Severity string }
	if err := json.Unmarshal([]byte(r.stdout), &findings); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != 1 || len(findings) != 1 || findings[0].File != filepath.Join(dir, "a.go") || findings[0].Severity != "error" {
		t.Fatalf("want only a.go's leak, as an error (legacy/ has leak off, gen/ is excluded): exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A subdirectory is governed by the module root's file too.
	r = runTool(t, filepath.Join(dir, "legacy"), nil, "check", ".")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("in legacy/: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The SARIF level follows the severity.
	r = runTool(t, dir, nil, "check", "-format", "sarif", "./...")
	if !strings.Contains(r.stdout, `"level": "error"`) {
		t.Errorf("SARIF without level error:\n%s", r.stdout)
	}
	// go vet -vettool reads the same file from each package's directory.
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./...")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "a.go:6:") || strings.Contains(string(out), "legacy.go") || strings.Contains(string(out), "gen.go") {
		t.Errorf("go vet -vettool: want a.go's finding only:\n%s", out)
	}
}

func TestProjectConfigErrorsAndExplain(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky, ".lifecycle.yaml": "checks:\n  leak: true\n  nosuch: false\n"})
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, filepath.Join(dir, ".lifecycle.yaml")+":3: unknown check \"nosuch\"") {
		t.Fatalf("a broken configuration: exit %d, stderr %q", r.code, r.stderr)
	}
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./...")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), ":3: unknown check") {
		t.Errorf("go vet -vettool with a broken configuration: err %v\n%s", err, out)
	}

	dir = module(t, map[string]string{"a.go": leaky, ".lifecycle.yaml": projectConfig})
	r = runTool(t, dir, nil, "check", "-explain-config")
	for _, want := range []string{"# from " + filepath.Join(dir, ".lifecycle.yaml"), "leak: error", "closeerr: true", "legacy/**"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("-explain-config lacks %q:\n%s", want, r.stdout)
		}
	}
	// -config names another file; -checks still picks checks by name.
	other := filepath.Join(dir, "strict.yaml")
	writeFile(t, other, "checks:\n  leak: false\n")
	if r := runTool(t, dir, nil, "check", "-config", other, "./..."); r.code != 0 {
		t.Errorf("-config with leak off: exit %d\n%s", r.code, r.stdout)
	}
	if r := runTool(t, dir, nil, "check", "-config", other, "-checks", "leak", "./..."); r.code != 1 {
		t.Errorf("-checks leak overrides the file: exit %d\n%s", r.code, r.stdout)
	}
}
