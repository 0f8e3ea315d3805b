package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/gittest"
)

// another is a second leaky function, added after the baseline.
const another = `
func Other(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
`

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBaselineReportsOnlyNewFindings(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	base := filepath.Join(dir, "lifecycle-baseline.json")

	// The first run writes the baseline.
	r := runTool(t, dir, nil, "check", "-baseline", base, "./...")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "wrote 1 findings to the baseline") {
		t.Fatalf("first run: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"function": "Status"`) || !strings.Contains(string(data), `"file": "a.go"`) {
		t.Errorf("baseline lacks the function or the root-relative file:\n%s", data)
	}

	// Without the baseline the finding is still there.
	if r := runTool(t, dir, nil, "check", "./..."); r.code != 1 {
		t.Fatalf("without -baseline: exit %d, want 1", r.code)
	}

	// Lines added above and the function moved below another one: not new.
	moved := strings.Replace(leaky, "import \"net/http\"\n", "import \"net/http\"\n\n// Padding pushes Status down.\nvar padding = 1\n\nfunc Helper() int { return padding }\n", 1)
	writeFile(t, filepath.Join(dir, "a.go"), moved)
	r = runTool(t, dir, nil, "check", "-baseline", base, "./...")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("after unrelated edits: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// A new leak in a new function is reported, the old one is not.
	writeFile(t, filepath.Join(dir, "a.go"), moved+another)
	r = runTool(t, dir, nil, "check", "-baseline", base, "./...")
	if r.code != 1 || strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, "a.go:") {
		t.Fatalf("new finding: exit %d, want 1 and one finding\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	other := strings.Index(moved+another, "func Other")
	if line := strings.Count((moved + another)[:other], "\n") + 1; !strings.Contains(r.stdout, "a.go:"+strconv.Itoa(line+1)+":") {
		t.Errorf("want the finding in Other (line %d):\n%s", line+1, r.stdout)
	}

	// -diff and -fix touch only what the baseline does not hold.
	r = runTool(t, dir, nil, "check", "-baseline", base, "-diff", "./...")
	if r.code != 1 || strings.Count(r.stdout, "+\tdefer resp.Body.Close()") != 1 {
		t.Fatalf("-diff with a baseline: exit %d, want 1 and one fix\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// -write-baseline records the new finding too.
	r = runTool(t, dir, nil, "check", "-baseline", base, "-write-baseline", "./...")
	if r.code != 0 || !strings.Contains(r.stderr, "wrote 2 findings") {
		t.Fatalf("-write-baseline: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if r := runTool(t, dir, nil, "check", "-baseline", base, "./..."); r.code != 0 || r.stdout != "" {
		t.Fatalf("after -write-baseline: exit %d\nstdout:\n%s", r.code, r.stdout)
	}
}

func TestBaselineThatIsNotOneIsAnError(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	base := filepath.Join(dir, "b.json")
	writeFile(t, base, "{\"version\": 1, \"findings\": [")
	r := runTool(t, dir, nil, "check", "-baseline", base, "./...")
	if r.code != 2 || !strings.Contains(r.stderr, "is not a lifecycle-lsp baseline") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(base); string(got) != "{\"version\": 1, \"findings\": [" {
		t.Error("a broken baseline must be left as it is")
	}
	if r := runTool(t, dir, nil, "check", "-write-baseline", "./..."); r.code != 2 || !strings.Contains(r.stderr, "needs -baseline") {
		t.Fatalf("-write-baseline alone: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestNewFromRevReportsOnlyChangedLines(t *testing.T) {
	dir := module(t, map[string]string{"a.go": leaky})
	git := func(args ...string) { gittest.Run(t, dir, args...) }
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "old code")
	writeFile(t, filepath.Join(dir, "a.go"), leaky+another)
	writeFile(t, filepath.Join(dir, "b.go"), strings.Replace(another, "func Other", "package m\n\nimport \"net/http\"\n\nfunc Third", 1))

	r := runTool(t, dir, nil, "check", "-new-from-rev", "HEAD", "./...")
	if r.code != 1 || strings.Contains(r.stdout, "a.go:6:") || !strings.Contains(r.stdout, "a.go:") || !strings.Contains(r.stdout, "b.go:") {
		t.Fatalf("want the findings in Other (changed lines) and b.go (untracked), not in Status\nexit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runTool(t, dir, nil, "check", "-new-from-rev", "no-such-rev", "./..."); r.code != 2 || !strings.Contains(r.stderr, "no-such-rev") {
		t.Fatalf("unknown revision: exit %d, stderr %q", r.code, r.stderr)
	}
}
