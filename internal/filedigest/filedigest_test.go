package filedigest

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// counting makes m count its reads.
func counting(m *Memo) *int {
	n := new(int)
	m.read = func(name string) ([]byte, error) {
		*n++
		return os.ReadFile(name)
	}
	return n
}

func sum(t *testing.T, m *Memo, name string) [sha256.Size]byte {
	t.Helper()
	s, err := m.Sum(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// remembers reports whether the platform gives file identities; where it
// does not, every run reads every file.
func remembers(t *testing.T, name string) bool {
	got := identify(name) != identity{}
	if want := runtime.GOOS == "linux" || runtime.GOOS == "darwin"; want && !got {
		t.Fatalf("no identity for %s on %s", name, runtime.GOOS)
	}
	return got
}

// TestRemembersSettledFiles: a file whose times are older than the run
// that read it is not read by the next run while it is unchanged, and is
// read again once it is rewritten, even to content of the same size.
func TestRemembersSettledFiles(t *testing.T) {
	name := filepath.Join(t.TempDir(), "a.go")
	write(t, name, "package a\n")
	remembered := remembers(t, name)
	later := time.Now().Add(time.Hour) // the file is settled for runs then
	m1 := New(nil, later)
	reads := counting(m1)
	if got := sum(t, m1, name); got != sha256.Sum256([]byte("package a\n")) || *reads != 1 {
		t.Fatalf("first run: digest %x after %d reads", got, *reads)
	}
	data, changed, err := m1.Encode()
	if err != nil || changed != remembered {
		t.Fatalf("first run: changed %v, %v", changed, err)
	}
	if !remembered {
		return // nothing more to see
	}

	m2 := New(data, later)
	reads = counting(m2)
	if got := sum(t, m2, name); got != sha256.Sum256([]byte("package a\n")) || *reads != 0 {
		t.Fatalf("unchanged file: digest %x after %d reads, want the remembered one and no read", got, *reads)
	}
	if again, changed, _ := m2.Encode(); changed || string(again) != string(data) {
		t.Errorf("unchanged file: the memo changed")
	}

	time.Sleep(50 * time.Millisecond) // past a tick of a coarse file system clock
	write(t, name, "package b\n")
	m3 := New(data, later)
	reads = counting(m3)
	if got := sum(t, m3, name); got != sha256.Sum256([]byte("package b\n")) || *reads != 1 {
		t.Fatalf("rewritten file: digest %x after %d reads, want the new content's", got, *reads)
	}
}

// TestForgetsRacyFiles: a file written just before the run began could be
// written again within the same clock tick without its identity changing;
// its digest is not remembered.
func TestForgetsRacyFiles(t *testing.T) {
	name := filepath.Join(t.TempDir(), "a.go")
	write(t, name, "package a\n")
	m := New(nil, time.Now())
	sum(t, m, name)
	data, changed, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		t.Errorf("a file written just now was remembered")
	}
	next := New(data, time.Now())
	reads := counting(next)
	sum(t, next, name)
	if *reads != 1 {
		t.Errorf("the next run read it %d times, want 1", *reads)
	}
}

// TestMissingFile reports the error and remembers nothing.
func TestMissingFile(t *testing.T) {
	m := New([]byte("not gob"), time.Now().Add(time.Hour))
	if _, err := m.Sum(filepath.Join(t.TempDir(), "missing.go")); err == nil {
		t.Errorf("no error for a missing file")
	}
	if _, changed, _ := m.Encode(); changed {
		t.Errorf("a missing file was remembered")
	}
}
