package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
)

// fakeConn reads a fixed input and records what is written.
type fakeConn struct {
	in  io.Reader
	out bytes.Buffer
}

func (c *fakeConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *fakeConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *fakeConn) Close() error                { return nil }

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

const probe = `{"jsonrpc":"2.0","id":"p","method":"probe/call"}`

// readAll reads messages until the input ends, returning the methods of
// the calls read and the number of error responses written.
func readAll(t *testing.T, input string, limit int64) (methods []string, errorsWritten int) {
	t.Helper()
	conn := &fakeConn{in: strings.NewReader(input)}
	s := newStream(conn, limit, func(string, ...any) {})
	for {
		msg, _, err := s.Read(context.Background())
		if err != nil {
			break
		}
		if c, ok := msg.(*jsonrpc2.Call); ok {
			methods = append(methods, c.Method())
		}
	}
	for _, part := range strings.Split(conn.out.String(), "Content-Length:") {
		if strings.Contains(part, `"error"`) {
			errorsWritten++
		}
	}
	return methods, errorsWritten
}

// TestFramingResynchronises: after any bad frame the error is answered
// once and the next message is read.
func TestFramingResynchronises(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`
	cases := map[string]string{
		"too short":   fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body)-10, body),
		"too long":    fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body)+40, body),
		"negative":    "Content-Length: -5\r\n\r\n" + body,
		"zero":        "Content-Length: 0\r\n\r\n" + body,
		"non-numeric": "Content-Length: abc\r\n\r\n" + body,
		"missing":     "Content-Type: application/json\r\n\r\n" + body,
		"huge":        "Content-Length: 2147483647\r\n\r\n" + body,
		"junk line":   "hello\r\n\r\n",
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			methods, errs := readAll(t, bad+frame(probe)+frame(probe), 1<<20)
			n := 0
			for _, m := range methods {
				if m == "probe/call" {
					n++
				}
			}
			if n != 2 {
				t.Errorf("read %v: the two messages after the bad frame were not both read", methods)
			}
			if errs > 1 {
				t.Errorf("%d error responses for one bad frame", errs)
			}
		})
	}
}

// TestBodyLimitCheckedBeforeReading: a message above the limit is refused
// without reading it, and the stream continues.
func TestBodyLimitCheckedBeforeReading(t *testing.T) {
	big := `{"jsonrpc":"2.0","id":2,"method":"x","params":"` + strings.Repeat("a", 5000) + `"}`
	methods, errs := readAll(t, frame(big)+frame(probe), 1000)
	if strings.Join(methods, ",") != "probe/call" || errs != 1 {
		t.Errorf("read %v, %d errors; want only the probe and one error", methods, errs)
	}
}

// FuzzFraming: whatever precedes it, a well-framed message after a blank
// line is read, and reading never fails but at the end of the input.
func FuzzFraming(f *testing.F) {
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`
	for _, seed := range []string{
		"",
		frame(body),
		"Content-Length: 10\r\n\r\n" + body,
		"Content-Length: 99999\r\n\r\n" + body,
		"Content-Length: -1\r\n\r\n",
		"Content-Length: abc\r\n\r\n{}",
		"Content-Type: x\r\n\r\n" + body,
		"Content-Length: 5\r\n\r\n{\"a\":",
		"\r\n\r\n\r\nContent-Length: 2\r\n\r\n{}",
		"content-length:3\n\n[1]",
		"Content-Length: 1\r\nContent-Length: 200\r\n\r\n{",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, junk string) {
		if len(junk) > 1<<16 {
			return
		}
		conn := &fakeConn{in: strings.NewReader(junk + "\r\n\r\n" + frame(probe))}
		s := newStream(conn, 1<<20, func(string, ...any) {})
		found := false
		for range 10000 {
			msg, _, err := s.Read(context.Background())
			if err != nil {
				if !strings.Contains(err.Error(), io.EOF.Error()) && !strings.Contains(err.Error(), io.ErrUnexpectedEOF.Error()) {
					t.Fatalf("read error before the end of the input: %v", err)
				}
				break
			}
			if c, ok := msg.(*jsonrpc2.Call); ok && c.Method() == "probe/call" {
				found = true
			}
		}
		if !found {
			t.Fatalf("the message after %q was lost", junk)
		}
	})
}
