package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// rawClient speaks framed JSON-RPC byte by byte, to send what a normal
// client library would refuse to.
type rawClient struct {
	t    *testing.T
	conn io.Writer
	msgs chan map[string]json.RawMessage
}

func newRawClient(t *testing.T, conn io.Writer, r io.Reader) *rawClient {
	c := &rawClient{t: t, conn: conn, msgs: make(chan map[string]json.RawMessage, 1000)}
	go func() {
		br := bufio.NewReader(r)
		for {
			length := -1
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					close(c.msgs)
					return
				}
				line = strings.TrimSpace(line)
				if line == "" {
					break
				}
				if v, ok := strings.CutPrefix(line, "Content-Length:"); ok {
					length, _ = strconv.Atoi(strings.TrimSpace(v))
				}
			}
			body := make([]byte, length)
			if _, err := io.ReadFull(br, body); err != nil {
				close(c.msgs)
				return
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("server sent invalid JSON %q: %v", body, err)
			}
			c.msgs <- m
		}
	}()
	return c
}

func (c *rawClient) sendRaw(body string) {
	c.t.Helper()
	if _, err := fmt.Fprintf(c.conn, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawClient) send(id any, method string, params any) {
	c.t.Helper()
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if id != nil {
		m["id"] = id
	}
	if params != nil {
		m["params"] = params
	}
	b, _ := json.Marshal(m)
	c.sendRaw(string(b))
}

// response waits for the response with the given id (as JSON text),
// answering server requests on the way.
func (c *rawClient) response(id string) map[string]json.RawMessage {
	c.t.Helper()
	return c.await("response "+id, func(m map[string]json.RawMessage) bool {
		_, isReq := m["method"]
		return !isReq && string(m["id"]) == id
	})
}

// notification waits for a notification of method whose params contain substr.
func (c *rawClient) notification(method, substr string) map[string]json.RawMessage {
	c.t.Helper()
	return c.await("notification "+method, func(m map[string]json.RawMessage) bool {
		return string(m["method"]) == `"`+method+`"` && strings.Contains(string(m["params"]), substr)
	})
}

func (c *rawClient) await(what string, ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, open := <-c.msgs:
			if !open {
				c.t.Fatalf("connection closed waiting for %s", what)
			}
			if ok(m) {
				return m
			}
			if _, isReq := m["method"]; isReq {
				if rid, has := m["id"]; has {
					c.sendRaw(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, rid))
				}
			}
		case <-timeout:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func errorCode(t *testing.T, m map[string]json.RawMessage) int {
	t.Helper()
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(m["error"], &e); err != nil || e.Code == 0 {
		t.Fatalf("expected an error response, got %s", dump(m))
	}
	return e.Code
}

// startRaw runs a server on a pipe and returns a raw client and a channel
// receiving the exit code passed to Options.Exit.
func startRaw(t *testing.T) (*rawClient, chan int) {
	sconn, cconn := net.Pipe()
	exit := make(chan int, 1)
	srv := server.New(sconn, server.Options{Build: testCatalogue, Log: testLog{t}, Exit: func(code int) { exit <- code }})
	go srv.Run(context.Background())
	t.Cleanup(func() { cconn.Close() })
	return newRawClient(t, cconn, cconn), exit
}

func TestMalformedJSONRPC(t *testing.T) {
	c, exit := startRaw(t)
	c.sendRaw(`{"jsonrpc":"2.0","id":1,"method":`)
	m := c.response("null")
	if code := errorCode(t, m); code != -32700 {
		t.Errorf("code %d, want -32700 (parse error)", code)
	}
	// A request before initialize.
	c.send(2, "textDocument/codeAction", map[string]any{})
	if code := errorCode(t, c.response("2")); code != -32002 {
		t.Errorf("code %d, want -32002 (not initialized)", code)
	}
	c.send(3, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	if r := c.response("3"); r["result"] == nil {
		t.Fatalf("initialize failed: %s", dump(r))
	}
	// Bad params, unknown method: errors, and the server continues.
	c.send(4, "textDocument/codeAction", "not an object")
	if code := errorCode(t, c.response("4")); code != -32602 {
		t.Errorf("code %d, want -32602 (invalid params)", code)
	}
	c.send(5, "no/such/method", map[string]any{})
	if code := errorCode(t, c.response("5")); code != -32601 {
		t.Errorf("code %d, want -32601 (method not found)", code)
	}
	c.sendRaw(`[1,2,3]`)
	if code := errorCode(t, c.response("null")); code != -32600 && code != -32700 {
		t.Errorf("code %d for a non-object message", code)
	}
	c.send(6, "shutdown", nil)
	if r := c.response("6"); r["error"] != nil {
		t.Fatalf("shutdown: %s", dump(r))
	}
	c.send(7, "textDocument/codeAction", map[string]any{})
	if code := errorCode(t, c.response("7")); code != -32600 {
		t.Errorf("request after shutdown: code %d, want -32600", code)
	}
	c.send(nil, "exit", nil)
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit")
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c, exit := startRaw(t)
	c.send(1, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	c.response("1")
	c.send(nil, "exit", nil)
	select {
	case code := <-exit:
		if code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit")
	}
}

func TestCancelRequest(t *testing.T) {
	dir := baseModule(t)
	c, _ := startRaw(t)
	c.send(1, "initialize", map[string]any{"processId": nil, "rootUri": string(uri.File(dir)), "capabilities": map[string]any{},
		// A long debounce: the code action below waits for analysis of
		// the new version, which will not start before it is cancelled.
		"initializationOptions": map[string]any{"diagnosticsDelayMs": 60000}})
	c.response("1")
	c.send(nil, "initialized", map[string]any{})
	// Let the initial analysis finish (it publishes b.go).
	c.notification("textDocument/publishDiagnostics", "b.go")
	p := filepath.Join(dir, "a", "a.go")
	// Text that differs from the file on disk: its diagnostics need an
	// analysis of their own, which the debounce holds back.
	edited := aGo + "\n// edited\n"
	c.send(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri.File(p), "languageId": "go", "version": 1, "text": edited}})
	c.send(2, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri.File(p)},
		"range": protocol.Range{}, "context": map[string]any{"diagnostics": []any{}}})
	time.Sleep(100 * time.Millisecond)
	c.send(nil, "$/cancelRequest", map[string]any{"id": 2})
	if code := errorCode(t, c.response("2")); code != -32800 {
		t.Errorf("code %d, want -32800 (request cancelled)", code)
	}
	// Still serving.
	c.send(3, "shutdown", nil)
	if r := c.response("3"); r["error"] != nil {
		t.Fatalf("shutdown: %s", dump(r))
	}
}

// TestEditStormMatchesColdRun sends many edits without waiting, then
// checks that the diagnostics equal those of a fresh server on the final
// text.
func TestEditStormMatchesColdRun(t *testing.T) {
	dir := baseModule(t)
	c := newClient(t, dir, clientOptions{initOptions: map[string]any{"diagnosticsDelayMs": 5}})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 1)
	var last int32
	for i := 0; i < 40; i++ {
		text := c.text("a/a.go")
		end := lineCol(text, len(text))
		switch i % 4 {
		case 0:
			last = c.edit("a/a.go", end, end, fmt.Sprintf("\nfunc extra%d() {\n\tv%d := leakyOpen()\n\t_ = v%d\n}\n", i, i, i))
		case 1:
			last = c.edit("a/a.go", end, end, "\nfunc Open2() *R { return leakyOpen() }\n")
		case 2:
			last = c.edit("a/a.go", protocol.Position{Line: 0, Character: 0}, protocol.Position{Line: 0, Character: 0}, "// storm\n")
		case 3:
			idx := strings.Index(text, "\nfunc Open2() *R { return leakyOpen() }\n")
			s := lineCol(text, idx)
			e := lineCol(text, idx+len("\nfunc Open2() *R { return leakyOpen() }\n"))
			last = c.edit("a/a.go", s, e, "")
		}
		if i%7 == 0 {
			time.Sleep(3 * time.Millisecond)
		}
	}
	final := c.text("a/a.go")
	got := c.waitDiags("a/a.go", "final version", func(p protocol.PublishDiagnosticsParams) bool { return p.Version == uint32(last) }).Diagnostics
	gotB := c.waitCount("b/b.go", 1)
	time.Sleep(200 * time.Millisecond)
	c.mu.Lock()
	got = c.diags[c.uri("a/a.go")].Diagnostics
	gotB = c.diags[c.uri("b/b.go")].Diagnostics
	c.mu.Unlock()

	cold := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": final, "b/b.go": bGo})
	c2 := newClient(t, cold, clientOptions{})
	want := c2.waitCount("a/a.go", len(got))
	wantB := c2.waitCount("b/b.go", len(gotB))
	if summary(got) != summary(want) || summary(gotB) != summary(wantB) {
		t.Errorf("after the storm:\n%s\n%s\ncold run:\n%s\n%s", summary(got), summary(gotB), summary(want), summary(wantB))
	}
	if len(want) != 11 {
		t.Errorf("cold run found %d diagnostics in a.go, want 11", len(want))
	}
	c.shutdown()
	c2.shutdown()
}

func summary(ds []protocol.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %s %s", d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Code, d.Message))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestProcessStdio runs the real binary: only protocol on stdout, and the
// process exits with 0 after shutdown+exit.
func TestProcessStdio(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Fatal("this test needs a Unix-like system")
	}
	bin := filepath.Join(t.TempDir(), "lifecycle-lsp")
	build := exec.Command("go", "build", "-o", bin, "github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := baseModule(t)
	for _, tc := range []struct {
		shutdown bool
		want     int
	}{{true, 0}, {false, 1}} {
		cmd := exec.Command(bin, "--stdio")
		cmd.Dir = dir
		cmd.Stderr = testLog{t}
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		c := newRawClient(t, stdin, stdout)
		c.send(1, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": string(uri.File(dir)), "capabilities": map[string]any{}})
		c.response("1")
		c.send(nil, "initialized", map[string]any{})
		if tc.shutdown {
			c.send(2, "shutdown", nil)
			c.response("2")
		}
		c.send(nil, "exit", nil)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Errorf("shutdown=%v: exit code %d, want %d", tc.shutdown, code, tc.want)
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("shutdown=%v: the process did not exit", tc.shutdown)
		}
	}
}
