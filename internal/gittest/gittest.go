// Package gittest runs git in tests that build small repositories, with a
// fixed author so commits work on a machine with no git identity.
package gittest

import (
	"os"
	"os/exec"
	"testing"
)

// Run runs git with args in dir and fails the test when git fails (or is
// missing: the tests that use it need git).
func Run(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}
