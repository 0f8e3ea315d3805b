package changedlines

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/gittest"
)

func TestParseTakesAddedLinesOfTheNewFile(t *testing.T) {
	const unified = `diff --git a/a.go b/a.go
index 1111111..2222222 100644
--- a/a.go
+++ b/a.go
@@ -3,0 +4,2 @@ func F() {
+	x := 1
+	_ = x
@@ -10 +12 @@ func G() {
-	old()
+	new()
diff --git a/gone.go b/gone.go
deleted file mode 100644
index 3333333..0000000
--- a/gone.go
+++ /dev/null
@@ -1,2 +0,0 @@
-package p
-
`
	s, err := Parse([]byte(unified))
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[int]bool{3: false, 4: true, 5: true, 6: false, 11: false, 12: true, 13: false} {
		if got := s.Contains("a.go", line); got != want {
			t.Errorf("a.go:%d changed = %v, want %v", line, got, want)
		}
	}
	if s.Contains("gone.go", 1) {
		t.Error("a deleted file has no changed lines")
	}
}

// TestSinceInARepository builds a small repository: one committed file
// edited since, one untracked file, one ignored file.
func TestSinceInARepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("this test needs git: %v", err)
	}
	dir := t.TempDir()
	run := func(args ...string) { gittest.Run(t, dir, args...) }
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run("init", "-q")
	write("sub/a.go", "package p\n\nfunc F() {\n}\n")
	write(".gitignore", "ignored.go\n")
	run("add", ".")
	run("commit", "-q", "-m", "first")
	write("sub/a.go", "package p\n\nfunc F() {\n\tg()\n}\n")
	write("new.go", "package p\n")
	write("ignored.go", "package p\n")

	root, err := Root(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Since(root, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Contains("sub/a.go", 4) || s.Contains("sub/a.go", 3) {
		t.Errorf("sub/a.go: want line 4 changed and line 3 not: %+v", s)
	}
	if !s.Contains("new.go", 1) {
		t.Error("an untracked file is new in every line")
	}
	if s.Contains("ignored.go", 1) {
		t.Error("an ignored file is not new")
	}
	if _, err := Since(root, "no-such-rev"); err == nil {
		t.Error("an unknown revision must be an error")
	}
	if _, err := Since(root, "--output=/tmp/x"); err == nil {
		t.Error("an option given as revision must be an error")
	}
}
