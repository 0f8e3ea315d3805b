package main

import (
	"strings"
	"testing"
)

// A non-test file is judged as it ships: a test that swaps a package
// variable for a stub returning a fresh connection does not make the
// production code leak, while a leak the production code has is reported
// once, not once per package variant.
func TestCheckJudgesNonTestFilesAsShipped(t *testing.T) {
	dir := module(t, map[string]string{
		"p.go": `package p

import "net"

var getConn = connFrom

func connFrom(v any) net.Conn {
	c, _ := v.(net.Conn)
	return c
}

func Remote(v any) string {
	c := getConn(v)
	if c == nil {
		return ""
	}
	return c.RemoteAddr().String()
}

func Ping(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	_, err = c.Write([]byte("ping"))
	return err
}
`,
		"p_test.go": `package p

import (
	"net"
	"testing"
)

func TestRemote(t *testing.T) {
	getConn = func(any) net.Conn {
		c, _ := net.Dial("tcp", "localhost:1")
		return c
	}
	_ = Remote(nil)
}
`,
	})
	r := runTool(t, dir, nil, "check", "./...")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stdout: %s stderr: %s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "p.go:21:") || !strings.Contains(lines[0], "connection c from net.Dial is never closed") {
		t.Errorf("stdout = %q, want only the leak in Ping (p.go:21)", r.stdout)
	}
}
