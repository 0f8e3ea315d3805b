package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lifecycle-lsp-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "lifecycle-lsp")
	// Stamped with the VCS revision when the repository allows it (the
	// version test reads it back), as go install in a clone does.
	if _, err := exec.Command("go", "build", "-buildvcs=auto", "-o", binary, ".").CombinedOutput(); err != nil {
		if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", binary, ".").CombinedOutput(); err != nil {
			panic("building lifecycle-lsp: " + err.Error() + "\n" + string(out))
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// module writes a temporary module with the given files.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	stdout, stderr string
	code           int
}

func runTool(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), code}
}

const leaky = `package m

import "net/http"

func Status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
`

const fixed = `package m

import "net/http"

func Status(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
`

func TestCheckTextAndExitStatus(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	want := "a.go:6:15: response body resp.Body from http.Get is never closed; add defer resp.Body.Close() (leak)\n"
	if r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
}

func TestCheckClean(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixed})
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want a clean run", r.code, r.stdout, r.stderr)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	r := runTool(t, dir, nil, "check", "-format", "json", "./...")
	var findings []struct {
		Check, File, Message, URL string
		Line, Column              int
		Fixes                     []struct {
			Message string
			Edits   []struct{ New string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &findings); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	if len(findings) != 1 {
		t.Fatalf("got %d findings, want 1", len(findings))
	}
	f := findings[0]
	if f.Check != "leak" || f.Line != 6 || f.URL == "" || len(f.Fixes) != 1 || !strings.Contains(f.Fixes[0].Edits[0].New, "defer resp.Body.Close()") {
		t.Errorf("unexpected finding %+v", f)
	}
}

func TestCheckSARIF(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	r := runTool(t, dir, nil, "check", "-format", "sarif", "./...")
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("invalid SARIF: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "leak" {
		t.Errorf("unexpected SARIF: %s", r.stdout)
	}
}

func TestCheckFixAndDiff(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	r := runTool(t, dir, nil, "check", "-diff", "./...")
	// -diff writes nothing, so the finding remains: exit 1, as a CI
	// gate on it expects.
	if r.code != 1 || !strings.Contains(r.stdout, "+\tdefer resp.Body.Close()\n") || !strings.Contains(r.stderr, "(leak)") {
		t.Fatalf("diff: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.go")); string(got) != leaky {
		t.Fatal("-diff modified the file")
	}
	r = runTool(t, dir, nil, "check", "-fix", "./...")
	if r.code != 0 {
		t.Fatalf("fix: exit %d, stderr %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.go")); string(got) != fixed {
		t.Fatalf("fixed file:\n%s\nwant:\n%s", got, fixed)
	}
	if r := runTool(t, dir, nil, "check", "./..."); r.code != 0 {
		t.Fatalf("after -fix: exit %d, stdout %s", r.code, r.stdout)
	}
}

func TestCheckSelectsChecks(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	r := runTool(t, dir, nil, "check", "-checks", "nosuchcheck", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown check "nosuchcheck"`) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCheckPatternMatchesNothing(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixed})
	r := runTool(t, dir, nil, "check", "./nothing/...")
	if r.code != 2 || !strings.Contains(r.stderr, "matched no packages") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCheckSyntaxErrorAnalyzesTheRest(t *testing.T) {
	dir := module(t, map[string]string{
		"good/a.go":   strings.Replace(leaky, "package m", "package good", 1),
		"broken/b.go": "package broken\n\nfunc f() {\n",
	})
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 2 {
		t.Fatalf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stdout, "good/a.go:6:15") {
		t.Errorf("the loadable package was not analyzed; stdout %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "broken/b.go") || !strings.Contains(r.stderr, "example.com/m/broken was not analyzed") {
		t.Errorf("stderr does not explain the broken package: %q", r.stderr)
	}
}

func TestCheckBrokenGoMod(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixed})
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.26\nrequire (\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, "go.mod") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCheckMissingGo(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixed})
	r := runTool(t, dir, []string{"PATH=" + t.TempDir()}, "check", "./...")
	if r.code != 2 || !strings.Contains(r.stderr, "go command") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestExplainAndHelp(t *testing.T) {
	r := runTool(t, ".", nil, "check", "-explain", "leak")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "leak:") || !strings.Contains(r.stdout, "Bad:") {
		t.Fatalf("explain: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runTool(t, ".", nil, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "leak") {
		t.Fatalf("help: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestVetTool(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "response body resp.Body from http.Get is never closed") {
		t.Fatalf("go vet -vettool: err %v, output:\n%s", err, out)
	}
}

func TestCheckDiffWithoutFindingsExitsZero(t *testing.T) {
	dir := module(t, map[string]string{"a.go": fixed})
	r := runTool(t, dir, nil, "check", "-diff", "./...")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("-diff on clean code: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
