package cache

import (
	"go/token"
	"testing"
)

func TestParseCacheReusesAndCollects(t *testing.T) {
	fset := token.NewFileSet()
	c := newParseCache(fset)
	a := NewFile("/w/a.go", 1, []byte("package a\n\nfunc A() {}\n"))
	b := NewFile("/w/b.go", 1, []byte("package a\n\nfunc B() {\n\tx := (\n}\n"))

	fa, ta, _, err := c.parse(a)
	if err != nil || fa == nil || ta == nil {
		t.Fatalf("parse a: file %v, token file %v, err %v", fa, ta, err)
	}
	fb, _, emptied, err := c.parse(b)
	if err == nil || fb == nil {
		t.Fatalf("parse b: want a repaired tree and a syntax error, got file %v err %v", fb, err)
	}
	if len(emptied) != 1 || emptied[0] != len("package a\n\n") {
		t.Errorf("parse b: emptied %v, want the offset of func B", emptied)
	}
	again, _, _, _ := c.parse(NewFile("/w/a.go", 2, []byte("package a\n\nfunc A() {}\n")))
	if again != fa {
		t.Errorf("same content parsed twice: the tree was not reused")
	}
	edited, tEdited, _, _ := c.parse(NewFile("/w/a.go", 3, []byte("package a\n\nfunc A2() {}\n")))
	if edited == fa {
		t.Fatalf("edited content returned the old tree")
	}
	if tEdited.Base() < ta.Base()+ta.Size() && ta.Base() < tEdited.Base()+tEdited.Size() {
		t.Errorf("two versions of a file share positions: [%d,+%d) and [%d,+%d)", ta.Base(), ta.Size(), tEdited.Base(), tEdited.Size())
	}

	// A run that uses only the edited version: the rest goes at the next
	// collection, and its positions leave the shared FileSet.
	c.collect()
	c.parse(NewFile("/w/a.go", 3, []byte("package a\n\nfunc A2() {}\n")))
	c.collect()
	if fset.File(fa.Pos()) != nil {
		t.Errorf("collected tree still in the FileSet")
	}
	if fset.File(edited.Pos()) == nil {
		t.Errorf("tree in use was removed from the FileSet")
	}
	if len(c.entries) != 1 {
		t.Errorf("%d cache entries after collection, want 1", len(c.entries))
	}
}
