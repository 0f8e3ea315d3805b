// Package helpers is imported by the other testdata packages: its
// functions' ownership summaries travel as analysis facts.
package helpers

import (
	"database/sql"
	"io"
	"net/http"
	"os"
)

// CloseQuietly releases its argument.
func CloseQuietly(c io.Closer) { _ = c.Close() }

// Drain reads the body to the end and closes it.
func Drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// DeferRows closes rows (sqlclosecheck #43 shape).
func DeferRows(rows *sql.Rows) {
	if err := rows.Close(); err != nil {
		println(err.Error())
	}
}

// OpenConfig returns a fresh file the caller owns.
func OpenConfig() (*os.File, error) {
	f, err := os.Open("/etc/config")
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Fetch returns a response whose body the caller owns.
func Fetch(url string) (*http.Response, error) {
	return http.Get(url)
}

// Name only reads the file: it borrows.
func Name(f *os.File) string { return f.Name() }

// Registry keeps what it is given.
type Registry struct{ files []*os.File }

// Keep stores f: ownership moves to the registry.
func (r *Registry) Keep(f *os.File) { r.files = append(r.files, f) }

var global []io.Closer

// Store keeps c in a global.
func Store(c io.Closer) { global = append(global, c) }

// Conn is a user type with a Close method.
type Conn struct{ f *os.File }

// Close releases the connection.
func (c *Conn) Close() error { return c.f.Close() }

// Read borrows.
func (c *Conn) Read(p []byte) (int, error) { return c.f.Read(p) }

// NewConn is a constructor-like call: its result is owned.
func NewConn() (*Conn, error) {
	f, err := os.Open("/dev/null")
	if err != nil {
		return nil, err
	}
	return &Conn{f: f}, nil
}

// Fatal never returns.
func Fatal(msg string) {
	println(msg)
	os.Exit(1)
}

// Replace reads the body, closes it and replaces it with an in-memory copy
// (bodyclose #76): callers still close the replacement, but need not.
func Replace(resp *http.Response) error {
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(nil)
	_ = b
	return nil
}

// MemFile is an in-memory file: its Close only marks it closed.
type MemFile struct {
	data   []byte
	closed bool
}

func (m *MemFile) Read(p []byte) (int, error) { return copy(p, m.data), nil }
func (m *MemFile) Close() error               { m.closed = true; return nil }

// NewMemFile builds an in-memory file: nothing to release.
func NewMemFile(data []byte) *MemFile { return &MemFile{data: data} }

// Worker runs a goroutine until Stop.
type Worker struct{ quit chan struct{} }

func (w *Worker) Stop() { close(w.quit) }

// NewWorker starts the worker's goroutine: it must be stopped.
func NewWorker() *Worker {
	w := &Worker{quit: make(chan struct{})}
	go func() { <-w.quit }()
	return w
}
