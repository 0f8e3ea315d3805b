package directive

import (
	"go/parser"
	"go/token"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	src := `package p

func f() {
	_ = 1 //lifecycle:ignore leak,closeerr the caller closes it
	//lifecycle:ignore loopdefer
	_ = 2
	//lifecycle:ignore
	//lifecycle:ignored leak not a directive
	_ = 3 //nolint:errcheck,lifecycle // owned by the pool
	_ = 4 //nolint:lifecycle
	_ = 5 //nolint:errcheck // not ours
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Line   int
		Checks []string
		Reason string
		NoLint bool
	}
	var ds []got
	for _, d := range Parse(fset, f) {
		ds = append(ds, got{d.Line, d.Checks, d.Reason, d.NoLint})
	}
	want := []got{
		{4, []string{"leak", "closeerr"}, "the caller closes it", false},
		{5, []string{"loopdefer"}, "", false},
		{7, nil, "", false},
		{9, nil, "owned by the pool", true},
		{10, nil, "", true},
	}
	if !reflect.DeepEqual(ds, want) {
		t.Errorf("Parse:\ngot  %+v\nwant %+v", ds, want)
	}
}

func TestCovers(t *testing.T) {
	cases := []struct {
		d     Directive
		check string
		want  bool
	}{
		{Directive{Checks: []string{"leak"}}, "leak", true},
		{Directive{Checks: []string{"leak"}}, "closeerr", false},
		{Directive{Checks: []string{"all"}}, "closeerr", true},
		{Directive{NoLint: true}, "doubleclose", true},
	}
	for _, c := range cases {
		if got := c.d.Covers(c.check); got != c.want {
			t.Errorf("%+v.Covers(%q) = %v, want %v", c.d, c.check, got, c.want)
		}
	}
}
