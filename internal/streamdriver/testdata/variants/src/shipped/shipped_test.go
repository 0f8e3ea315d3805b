package shipped

import "testing"

func TestOpen(t *testing.T) {
	f, err := Open("shipped.go")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}
