package svc

import (
	"net"
	"testing"

	"example.com/vetparity/store"
)

func TestSize(t *testing.T) {
	f, err := store.Open("svc.go") // finding: leak, until store.Open keeps its file
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(); err != nil {
		t.Fatal(err)
	}
}

func TestRemote(t *testing.T) {
	dial = func(any) net.Conn {
		c, _ := net.Dial("tcp", "localhost:1")
		return c
	}
	Remote(nil)
}
