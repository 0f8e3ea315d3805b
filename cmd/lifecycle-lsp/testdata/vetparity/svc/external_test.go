package svc_test

import (
	"testing"

	"example.com/vetparity/store"
	"example.com/vetparity/svc"
)

func TestConfig(t *testing.T) {
	r, err := svc.Config("svc.go") // finding: leak, until store.Open keeps its file
	if err != nil {
		t.Fatal(err)
	}
	_ = r
}

func TestRelease(t *testing.T) {
	f, err := store.Open("svc.go")
	if err != nil {
		t.Fatal(err)
	}
	store.Release(f)
}
