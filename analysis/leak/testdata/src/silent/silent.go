// Package silent holds shapes that must not be reported, most of them false
// positives users filed against peer tools.
package silent

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"helpers"
	"sqlx"
)

// bodyclose #30: a helper closes the body on each select branch.
func selectHelper(ctx context.Context, c *http.Client, req *http.Request, tick <-chan time.Time) error {
	for {
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			helpers.Drain(resp)
			return ctx.Err()
		case <-tick:
			helpers.Drain(resp)
		}
	}
}

// bodyclose #18: a local closure taking io.Closer.
func localCloserFunc(url string) error {
	closeIt := func(c io.Closer) { _ = c.Close() }
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer closeIt(resp.Body)
	return nil
}

type wrapped struct{ resp *http.Response }

func (w *wrapped) Response() *http.Response { return w.resp }

// bodyclose #42: the response reached through a method.
func methodResponse(w *wrapped) {
	defer w.Response().Body.Close()
}

// bodyclose #76: the wrapper reads, closes and replaces the body.
func nopCloserReplacement(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return helpers.Replace(resp)
}

// bodyclose #77: rc := resp.Body inside an if, defer rc.Close() outside.
func bodyAliasInIf(url string, b bool) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	var rc io.ReadCloser
	if b {
		rc = resp.Body
	} else {
		rc = resp.Body
	}
	defer rc.Close()
	return nil
}

// sqlclosecheck #35: sqlx-like Queryx with defer rows.Close().
func queryx(db *sqlx.DB) error {
	rows, err := db.Queryx("q")
	if err != nil {
		return err
	}
	defer rows.Close()
	return nil
}

// sqlclosecheck #43/#49: closed in a deferred closure.
func rowsClosure(db *sql.DB) error {
	rows, err := db.Query("q")
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	return rows.Err()
}

// boulder PR #8129 shape: an early explicit Close whose error is checked.
func rowsExplicitClose(db *sql.DB) error {
	rows, err := db.Query("q")
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	if err := rows.Close(); err != nil {
		return err
	}
	return rows.Err()
}

// rows.Next() returning false closes the rows.
func rowsDrained(db *sql.DB) (n int, err error) {
	rows, err := db.Query("q")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// lostcancel: cancel called in a deferred closure.
func cancelInClosure(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer func() { cancel() }()
	return ctx.Err()
}

// lostcancel: cancel handed to a goroutine that calls it.
func cancelInGoroutine(parent context.Context) context.Context {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	go func() {
		<-ctx.Done()
		cancel()
	}()
	return ctx
}

// lostcancel: reassigned cancel, each released.
func cancelReassigned(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	_ = ctx
}

// A server handler's r.Body is borrowed.
func handler(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.Write(b)
}

// io.NopCloser of an in-memory reader has nothing to release.
func nopCloser() io.ReadCloser {
	rc := io.NopCloser(strings.NewReader("x"))
	_, _ = io.ReadAll(rc)
	return nil
}

// http.Client.Do on error: the body is already closed.
func doError(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The error checked through errors.Is.
func errorsIs(url string) error {
	resp, err := http.Get(url)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// err == nil branch holds the resource.
func errEqualNil(name string) {
	f, err := os.Open(name)
	if err == nil {
		f.Close()
	}
}

// Standard streams are borrowed.
func stdStreams() {
	f := os.Stdout
	f.WriteString("x")
}

// Recorder results are in memory.
func recorder(h http.Handler) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	return rec.Result().StatusCode
}

// A conn wrapped by a buffered reader: the conn is closed.
func wrappedConn(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = bytes.NewBuffer(nil)
	return nil
}

// The resource is returned through an interface.
func returnedAsCloser(name string) (io.Closer, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Nil check on the resource itself.
func nilCheck(name string) {
	f, _ := os.Open(name)
	if f == nil {
		return
	}
	f.Close()
}

// A named result err captured by a deferred closure.
func namedErrDefer(name string) (err error) {
	defer func() {
		if err != nil {
			err = errors.Join(err, io.EOF)
		}
	}()
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// A variable released by a deferred closure registered before the
// acquisition (mime/multipart shape).
func deferBeforeAcquire(names []string) error {
	var f *os.File
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	for _, n := range names {
		var err error
		if f == nil {
			f, err = os.Create(n)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// Tickers are collected since go1.23 (GOPATH testdata have no version,
// treated as current).
func ticker() {
	t := time.NewTicker(time.Second)
	<-t.C
}

// A wrapped conn released through the wrapper.
type embedded struct{ net.Conn }

func embeddedClose(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	e := embedded{c}
	return e.Close()
}

// A user "Stop" that is not constructor-like.
type worker struct{}

func (worker) Stop() {}

func getWorker() worker { return worker{} }

func notConstructor() {
	w := getWorker()
	_ = w
}

// log/slog and bufio wrappers are not resources.
func bufioWrap(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// Suppressed with a directive.
func suppressed(name string) {
	f, _ := os.Open(name) //lifecycle:ignore leak process-lifetime file
	_ = f
}

// Both results of Pipe released.
func pipeOK() error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	defer w.Close()
	return nil
}

// Listener accepted in a loop, conns handed to goroutines.
func serve(l net.Listener) error {
	defer l.Close()
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			_, _ = io.Copy(c, c)
		}()
	}
}

// Close through the helper's method on a user type.
func userType() error {
	c, err := helpers.NewConn()
	if err != nil {
		return err
	}
	defer c.Close()
	return nil
}

// Tx committed or rolled back on all paths.
func txBoth(db *sql.DB, b bool) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if b {
		return tx.Rollback()
	}
	return tx.Commit()
}
