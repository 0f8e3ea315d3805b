package insertdefer

import (
	"go/token"
	"testing"
)

func TestAfterLineComment(t *testing.T) {
	src := []byte("a := f() // want `x`\nb := g(); c()\nd := h()\n")
	fset := token.NewFileSet()
	tf := fset.AddFile("x.go", -1, len(src))
	tf.SetLinesForContent(src)
	pos := func(off int) token.Pos { return tf.Pos(off) }
	for _, tc := range []struct {
		off, want int
	}{
		{8, 20},  // trailing comment: after it
		{29, 29}, // another statement follows on the line: stay
		{44, 44}, // end of line already
	} {
		if got := afterLineComment(fset, src, pos(tc.off)); got != pos(tc.want) {
			t.Errorf("afterLineComment(%d) = %d, want %d", tc.off, tf.Offset(got), tc.want)
		}
	}
}
