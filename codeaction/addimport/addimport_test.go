package addimport_test

import (
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/addimport"
)

func TestEdits(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{
			name: "sorted into the std group",
			src:  "package p\n\nimport (\n\t\"fmt\"\n\t\"time\"\n\n\t\"example.com/x\"\n)\n",
			want: "package p\n\nimport (\n\t\"fmt\"\n\t\"sync\"\n\t\"time\"\n\n\t\"example.com/x\"\n)\n",
		},
		{
			name: "after the last std import",
			src:  "package p\n\nimport (\n\t\"bytes\"\n\t\"fmt\"\n)\n",
			want: "package p\n\nimport (\n\t\"bytes\"\n\t\"fmt\"\n\t\"sync\"\n)\n",
		},
		{
			name: "single import becomes a block",
			src:  "package p\n\nimport \"net/http\"\n",
			want: "package p\n\nimport (\n\t\"net/http\"\n\t\"sync\"\n)\n",
		},
		{
			name: "single later import",
			src:  "package p\n\nimport \"unicode\"\n",
			want: "package p\n\nimport (\n\t\"sync\"\n\t\"unicode\"\n)\n",
		},
		{
			name: "no std group",
			src:  "package p\n\nimport (\n\t\"example.com/x\"\n)\n",
			want: "package p\n\nimport (\n\t\"sync\"\n\n\t\"example.com/x\"\n)\n",
		},
		{
			name: "no imports",
			src:  "package p\n\nvar x = 1\n",
			want: "package p\n\nimport \"sync\"\n\nvar x = 1\n",
		},
		{
			name: "already imported",
			src:  "package p\n\nimport \"sync\"\n",
			want: "package p\n\nimport \"sync\"\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", tc.src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			edits := addimport.Edits(f, "sync")
			sort.Slice(edits, func(i, j int) bool { return edits[i].Pos > edits[j].Pos })
			out := tc.src
			base := fset.File(f.Pos()).Base()
			for _, e := range edits {
				start, end := int(e.Pos)-base, int(e.End)-base
				out = out[:start] + string(e.NewText) + out[end:]
			}
			if out != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out, tc.want)
			}
			if formatted, err := format.Source([]byte(out)); err != nil || string(formatted) != out {
				t.Errorf("result is not gofmt-clean (%v):\n%s", err, out)
			}
		})
	}
}

func TestLocalName(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n\nimport (\n\tsy \"sync\"\n\t_ \"embed\"\n\t\"net/http\"\n)\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"sync": "sy", "net/http": "http", "embed": "", "os": ""} {
		got, ok := addimport.LocalName(f, path)
		if got != want || ok != (want != "") {
			t.Errorf("LocalName(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}

func TestNameTaken(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"package p\n\nimport \"example.com/lib/sync\"\n", true},
		{"package p\n\nimport \"example.com/sync/v2\"\n", true},
		{"package p\n\nimport sync \"example.com/lib/locks\"\n", true},
		{"package p\n\nimport (\n\tlsync \"example.com/lib/sync\"\n\t\"sync\"\n)\n", false}, // imports sync itself
		{"package p\n\nimport lsync \"example.com/lib/sync\"\n", false},
		{"package p\n\nimport \"example.com/lib/syncx\"\n", false},
		{"package p\n", false},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", tc.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := addimport.NameTaken(f, "sync"); got != tc.want {
			t.Errorf("NameTaken(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}
