package report

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKeysIgnoreLineNumbersInMessages(t *testing.T) {
	a := []Finding{{Check: "leak", File: "/r/a.go", Line: 20, Function: "F",
		Message: "rows rows from (*sql.DB).Query is not closed on the path returning at line 28"}}
	b := []Finding{{Check: "leak", File: "/r/a.go", Line: 31, Function: "F",
		Message: "rows rows from (*sql.DB).Query is not closed on the path returning at line 39"}}
	AssignKeys(a, "/r")
	AssignKeys(b, "/r")
	if a[0].Key != b[0].Key {
		t.Errorf("a finding that moved down 11 lines changed its key: %s, %s", a[0].Key, b[0].Key)
	}
	c := []Finding{{Check: "leak", File: "/r/a.go", Line: 20, Function: "F",
		Message: "tx from (*sql.DB).Begin is not committed or rolled back on the path returning at line 28"}}
	AssignKeys(c, "/r")
	if c[0].Key == a[0].Key {
		t.Error("findings about different resources share a key")
	}
	d := []Finding{{Check: "leak", File: "/elsewhere/r/a.go", Line: 20, Function: "F", Message: a[0].Message}}
	AssignKeys(d, "/elsewhere/r")
	if d[0].Key != a[0].Key {
		t.Error("a clone in another directory must give the same keys (paths are relative to the root)")
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	dir := t.TempDir()
	fs := []Finding{
		{Check: "leak", File: filepath.Join(dir, "b.go"), Line: 3, Function: "G", Message: "m1"},
		{Check: "loopdefer", File: filepath.Join(dir, "a.go"), Line: 9, Function: "(*T).M", Message: "m2"},
	}
	AssignKeys(fs, dir)
	path := filepath.Join(dir, "baseline.json")
	if err := WriteBaseline(path, fs, dir); err != nil {
		t.Fatal(err)
	}
	keys, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || !keys[fs[0].Key] || !keys[fs[1].Key] {
		t.Fatalf("read back %v", keys)
	}
	extra := Finding{Check: "leak", File: filepath.Join(dir, "b.go"), Line: 30, Function: "H", Message: "m1"}
	all := append(fs, extra)
	AssignKeys(all, dir)
	if got := Drop(all, keys); len(got) != 1 || got[0].Function != "H" {
		t.Errorf("Drop kept %+v, want only the finding in H", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the atomic write left files behind: %v", entries)
	}
}
