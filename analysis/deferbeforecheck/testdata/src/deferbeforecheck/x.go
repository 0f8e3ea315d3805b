package deferbeforecheck

import (
	"compress/gzip"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
)

// ---- positives ----

// File: nil-safe Close, still the wrong place.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	defer f.Close() // want `f.Close\(\) is deferred before the error from os.Open is checked: when os.Open fails, f is nil; \*os.File's Close tolerates nil`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// Body: the motivating case; resp is nil on error.
func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from http.Get is checked: when http.Get fails, resp is nil and reading its Body panics`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// Rows.
func names(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM t")
	defer rows.Close() // want `rows.Close\(\) is deferred before the error from db.Query is checked: when db.Query fails, rows is nil and the deferred call dereferences it`
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out, rows.Err()
}

// The check is separated from the defer by other statements.
func fetchLogged(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	// Release the body when done.
	defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from c.Do is checked`
	log.Printf("fetched %s", req.URL)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Inside a nested block: the acquisition and the defer share it.
func each(urls []string) {
	for _, u := range urls {
		if u != "" {
			resp, err := http.Get(u)
			defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from http.Get is checked`

			if err != nil {
				continue
			}
			io.Copy(io.Discard, resp.Body)
		}
	}
}

// Transaction rollback.
func transfer(db *sql.DB) error {
	tx, err := db.Begin()
	defer tx.Rollback() // want `tx.Rollback\(\) is deferred before the error from db.Begin is checked`
	if err != nil {
		return err
	}
	return tx.Commit()
}

// Interface result: net.Conn.
func ping(addr string) error {
	conn, err := net.Dial("tcp", addr)
	defer conn.Close() // want `conn.Close\(\) is deferred before the error from net.Dial is checked: when net.Dial fails, conn is a nil interface and the deferred call panics`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("ping"))
	return err
}

// A cleanup func deferred before the check (staticcheck #1687, a false
// negative of SA5001).
func setup() (func(), error) {
	if err := prepare(); err != nil {
		return nil, err
	}
	return func() {}, nil
}

func prepare() error { return nil }

func withCleanup() error {
	cleanup, err := setup()
	defer cleanup() // want `cleanup\(\) is deferred before the error from setup is checked: when setup fails, cleanup is usually nil and calling it panics`
	if err != nil {
		return err
	}
	return nil
}

// A deferred closure that releases without looking at f.
func closureRelease(name string) error {
	f, err := os.Create(name)
	defer func() { // want `f.Close\(\) is deferred before the error from os.Create is checked`
		if cerr := f.Close(); cerr != nil {
			log.Print(cerr)
		}
	}()
	if err != nil {
		return err
	}
	_, err = f.WriteString("x")
	return err
}

// The success-branch shape: the defer moves into the block.
func successBranch(name string) {
	f, err := os.Open(name)
	defer f.Close() // want `f.Close\(\) is deferred before the error from os.Open is checked`
	if err == nil {
		io.Copy(io.Discard, f)
	}
}

// A var declaration.
func varDecl(name string) error {
	var f, err = os.Open(name)
	defer f.Close() // want `f.Close\(\) is deferred before the error from os.Open is checked`
	if err != nil {
		return err
	}
	return nil
}

// A generic closer from a user constructor.
type client struct{ conn net.Conn }

func (c *client) Close() error { return c.conn.Close() }

func NewClient(addr string) (*client, error) { return &client{}, nil }

func useClient(addr string) error {
	c, err := NewClient(addr)
	defer c.Close() // want `c.Close\(\) is deferred before the error from NewClient is checked: when NewClient fails, c is nil and the deferred call dereferences it`
	if err != nil {
		return err
	}
	return nil
}

// A pipe from a command: io.ReadCloser.
func output(cmd *exec.Cmd) ([]byte, error) {
	out, err := cmd.StdoutPipe()
	defer out.Close() // want `out.Close\(\) is deferred before the error from cmd.StdoutPipe is checked`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(out)
}

// A gzip reader (nil *gzip.Reader on error): Close dereferences it.
func gunzip(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	defer zr.Close() // want `zr.Close\(\) is deferred before the error from gzip.NewReader is checked`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// Assignment with =, to variables declared earlier.
func reassigned(db *sql.DB) error {
	var rows *sql.Rows
	var err error
	rows, err = db.Query("SELECT 1")
	defer rows.Close() // want `rows.Close\(\) is deferred before the error from db.Query is checked`
	if err != nil {
		return err
	}
	return rows.Err()
}

// The error is overwritten before it is checked: reported, no fix.
func neverChecked(name string) ([]byte, error) {
	f, err := os.Open(name)
	defer f.Close() // want `f.Close\(\) is deferred before the error from os.Open is checked`
	data, err := io.ReadAll(f)
	return data, err
}

// A statement between the defer and the check can return: reported, no fix.
func earlyReturn(url string, skip bool) error {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from http.Get is checked`
	if skip {
		return nil
	}
	if err != nil {
		return err
	}
	return nil
}

// In a switch case clause, with a test's Fatal.
func TestFetch(t *testing.T) {
	switch {
	case true:
		resp, err := http.Get("http://example.com")
		defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from http.Get is checked`
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Suppressed with a reason.
func suppressed(name string) {
	f, err := os.Open(name)
	//lifecycle:ignore deferbeforecheck *os.File tolerates nil, kept for the diff
	defer f.Close()
	if err != nil {
		return
	}
}

// ---- must stay silent ----

// The idiom.
func good(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// No error result (dominikh/go-tools#941: SA5001 on httptest.Server.Close).
func testServer(t *testing.T) {
	var err error
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_ = err
}

// The error is deliberately discarded.
func discarded(name string) {
	f, _ := os.Open(name)
	defer f.Close()
}

// A deferred closure that checks for nil.
func nilChecked(url string) error {
	resp, err := http.Get(url)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	return err
}

// A deferred closure that checks the error.
func errChecked(name string) error {
	f, err := os.Open(name)
	defer func() {
		if err == nil {
			f.Close()
		}
	}()
	return err
}

// The error is passed to a function first (counts as a check).
func handled(name string) error {
	f, err := os.Open(name)
	must(err)
	defer f.Close()
	return nil
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// A helper that may handle nil (bodyclose #39 shape).
func closeQuietly(c io.Closer) {
	if c != nil {
		c.Close()
	}
}

func viaHelper(url string) error {
	resp, err := http.Get(url)
	defer closeQuietly(resp.Body)
	return err
}

// Not a release: Flush, Name, other methods.
func notRelease(name string) error {
	f, err := os.Create(name)
	defer f.Sync()
	return err
}

// A release of a value from an earlier, checked call.
func earlier(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	stmt, err := tx.Prepare("SELECT 1")
	defer tx.Rollback()
	if err != nil {
		return err
	}
	_ = stmt
	return nil
}

// Reassigned before the defer: the defer releases the new value.
func reassignedFirst(name string) error {
	f, err := os.Open(name)
	f = os.Stdin
	defer f.Close()
	return err
}

// The defer in a different block than the acquisition, after the check.
func differentBlock(url string) error {
	resp, err := http.Get(url)
	if err == nil {
		defer resp.Body.Close()
	}
	return err
}

// Defer in a goroutine closure uses the value later; the error is checked
// by the spawning code first.
func spawned(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
	}()
	return nil
}

// A helper that hands back a no-op cleanup on every error path: deferring
// it before the check cannot panic, so it is not reported.
func copyAndLoad(name string) (*os.File, func(), error) { // want copyAndLoad:"neverNilFuncs"
	if err := prepare(); err != nil {
		return nil, func() {}, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, noop, err
	}
	return f, func() { f.Close() }, nil
}

func noop() {}

func earlyNoopCleanup(name string) error {
	f, cleanup, err := copyAndLoad(name)
	defer cleanup()
	if err != nil {
		return err
	}
	_ = f
	return nil
}

// The same shape where one error path returns a nil cleanup is reported.
func copyAndLoadNil(name string) (*os.File, func(), error) {
	if err := prepare(); err != nil {
		return nil, func() {}, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func earlyNilCleanup(name string) error {
	f, cleanup, err := copyAndLoadNil(name)
	defer cleanup() // want `cleanup\(\) is deferred before the error from copyAndLoadNil is checked`
	if err != nil {
		return err
	}
	_ = f
	return nil
}

// A cleanup from a variable the helper may leave nil is reported too.
func fromVariable(name string) (func(), error) {
	var cleanup func()
	if name != "" {
		cleanup = func() {}
	}
	return cleanup, prepare()
}

func earlyVariableCleanup(name string) error {
	cleanup, err := fromVariable(name)
	defer cleanup() // want `cleanup\(\) is deferred before the error from fromVariable is checked`
	if err != nil {
		return err
	}
	return nil
}
