package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFilesKeepsModeAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.go"), filepath.Join(dir, "b.sh")
	if err := os.WriteFile(a, []byte("old a"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("old b"), 0o755); err != nil {
		t.Fatal(err)
	}
	written, err := WriteFiles(map[string][]byte{a: []byte("new a"), b: []byte("new b")})
	if err != nil || len(written) != 2 {
		t.Fatalf("WriteFiles: %v, wrote %v", err, written)
	}
	for name, want := range map[string]struct {
		text string
		mode os.FileMode
	}{a: {"new a", 0o600}, b: {"new b", 0o755}} {
		got, _ := os.ReadFile(name)
		info, _ := os.Stat(name)
		if string(got) != want.text || info.Mode().Perm() != want.mode {
			t.Errorf("%s: %q %v, want %q %v", name, got, info.Mode().Perm(), want.text, want.mode)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries after the write, want 2 (a temporary file was left)", len(entries))
	}
}

func TestWriteFilesChangesNothingWhenOneTargetIsNotWritable(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.go")
	if err := os.WriteFile(a, []byte("old a"), 0o644); err != nil {
		t.Fatal(err)
	}
	notAFile := filepath.Join(dir, "sub") // a directory cannot be opened for writing, not even by root
	if err := os.Mkdir(notAFile, 0o755); err != nil {
		t.Fatal(err)
	}
	written, err := WriteFiles(map[string][]byte{a: []byte("new a"), notAFile: []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "not writable") || len(written) != 0 {
		t.Fatalf("WriteFiles: err %v, wrote %v; want a writability error and nothing written", err, written)
	}
	if got, _ := os.ReadFile(a); string(got) != "old a" {
		t.Errorf("a.go was changed to %q although another target was not writable", got)
	}
}
