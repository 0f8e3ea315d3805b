package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVersionFromBuildInfo: "version" prints what the go command stamped
// into the binary (its module version and, when built in a repository with
// VCS stamping, the revision), not a placeholder.
func TestVersionFromBuildInfo(t *testing.T) {
	out, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	var modVersion, revision string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod":
			modVersion = f[2]
		case len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision="):
			revision = strings.TrimPrefix(f[1], "vcs.revision=")
		}
	}
	if modVersion == "" {
		t.Fatalf("no module version in the build info:\n%s", out)
	}
	r := runTool(t, t.TempDir(), nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "lifecycle-lsp "+modVersion) {
		t.Fatalf("version: exit %d, stdout %q, want it to start with the module version %q", r.code, r.stdout, modVersion)
	}
	if revision != "" && !strings.Contains(r.stdout, "revision "+revision) {
		t.Errorf("version %q does not name the revision %s", r.stdout, revision)
	}
	if strings.Contains(r.stdout, "devel") && modVersion != "(devel)" {
		t.Errorf("version prints devel although the build info says %s", modVersion)
	}
}
