package addclose

import (
	"reflect"
	"strings"
	"testing"
)

func TestReindent(t *testing.T) {
	for _, tc := range []struct {
		src, stmts string
		want       []string
	}{
		{"\t\tx := 1\n\t\tf(x)\n", "x := 1\n\t\tf(x)", []string{"\tx := 1", "\tf(x)"}},
		{"\tdefer func(s *T) { s.c.Close() })\n", "s.c.Close()", []string{"\ts.c.Close()"}},
		{"\tg(func() { a()\n\t\tb()\n\t})\n", "a()\n\t\tb()", []string{"\ta()", "\tb()"}},
	} {
		from := strings.Index(tc.src, tc.stmts)
		got := Reindent([]byte(tc.src), from, from+len(tc.stmts))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Reindent(%q) = %q, want %q", tc.stmts, got, tc.want)
		}
	}
}
