package svc

import (
	"testing"

	"example.com/vetparity/store"
)

func TestSize(t *testing.T) {
	f, err := store.Open("svc.go") // finding: leak
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(); err != nil {
		t.Fatal(err)
	}
}
