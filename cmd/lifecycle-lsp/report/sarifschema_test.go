package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/sariftest"
)

const schema = "testdata/sarif-2.1.0.json"

func TestSARIFFollowsTheSchema(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/sub dir/a.go"
	if err := os.MkdirAll(dir+"/sub dir", 0o755); err != nil {
		t.Fatal(err)
	}
	src := "package a\n\nfunc F() { x := \"é\"; _ = open(x) }\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	col := strings.Index(src, "open") - strings.Index(src, "func") + 1 // byte column on line 3
	findings := []Finding{{Check: "leak", File: file, Line: 3, Column: col, EndLine: 3, EndCol: col + 4,
		Function: "F", Message: "file from open is never closed",
		Related: []Related{{File: file, Line: 3, Column: 1, Message: "the function returns here"}},
		Fixes: []Fix{{Message: "release it", Edits: []Edit{
			{File: file, Start: 40, End: 40, New: "defer x.Close()\n"},
			{File: file, Start: 10, End: 12, New: ""},
		}}},
	}}
	AssignKeys(findings, dir)
	var out bytes.Buffer
	err := SARIF(&out, findings, nil, SARIFOptions{Version: "v1.2.3", Semantic: "1.2.3", Root: dir,
		Level: func(string) string { return "error" }})
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(schema, out.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, out.Bytes())
	}
	// The validator does reject what the schema forbids.
	bad := strings.Replace(out.String(), `"level": "error"`, `"level": "severe"`, 1)
	if err := sariftest.Validate(schema, []byte(bad)); err == nil {
		t.Error("a result level outside the schema's enum was accepted")
	}
	log := out.String()
	for _, want := range []string{
		`"uri": "sub%20dir/a.go"`,
		`"uriBaseId": "SRCROOT"`,
		`"lifecycleKey/v1": "` + findings[0].Key + `"`,
		`"semanticVersion": "1.2.3"`,
		`"level": "error"`,
		`"byteOffset": 40`,
		`"byteLength": 0`,
		`"text": "defer x.Close()\n"`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}

func TestUTF16Columns(t *testing.T) {
	src := []byte("package a\nvar s = \"é😀\" + x\n")
	// byte column of x: after `var s = "` (9 bytes), é (2), 😀 (4), `" + ` (4).
	byteCol := 9 + 2 + 4 + 4 + 1
	if got, want := utf16Column(src, 2, byteCol), 9+1+2+4+1; got != want {
		t.Errorf("utf16Column = %d, want %d", got, want)
	}
	if got := utf16Column(nil, 2, byteCol); got != byteCol {
		t.Errorf("without the text the byte column stays: got %d", got)
	}
}
