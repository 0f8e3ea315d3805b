// Package fin holds cleanups left to the garbage collector, and the
// finalizers that must stay silent.
package fin

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"runtime"
	"syscall"
	"time"
)

// ---- positives ----

type Session struct{ conn net.Conn }

func NewSession(c net.Conn) *Session {
	s := &Session{conn: c}
	runtime.SetFinalizer(s, func(s *Session) { s.conn.Close() }) // want `runtime.SetFinalizer is the only release of Session's connection s.conn`
	return s
}

type File struct{ f *os.File }

func OpenFile(p string) (*File, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	x := &File{f: f}
	runtime.AddCleanup(x, func(f *os.File) { f.Close() }, f) // want `runtime.AddCleanup is the only release of File's file f`
	return x, nil
}

// The SA5005 shape: the finalizer closes over its own object (reported by
// nobody in the peer survey).
type Self struct{ f *os.File }

func NewSelf(f *os.File) *Self {
	c := &Self{f: f}
	runtime.SetFinalizer(c, func(_ *Self) { c.f.Close() }) // want `only release of Self's file c.f`
	return c
}

type Ticking struct{ t *time.Ticker }

func NewTicking() *Ticking {
	t := &Ticking{t: time.NewTicker(time.Second)}
	runtime.SetFinalizer(t, func(t *Ticking) { t.t.Stop() }) // want `only release of Ticking's ticker t.t`
	return t
}

type FD struct{ fd int }

func NewFD(fd int) *FD {
	x := &FD{fd}
	runtime.SetFinalizer(x, func(x *FD) { syscall.Close(x.fd) }) // want `only release of FD's descriptor x.fd`
	return x
}

type Ctx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewCtx() *Ctx {
	c := &Ctx{}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	runtime.SetFinalizer(c, func(c *Ctx) { c.cancel() }) // want `only release of Ctx's cancel function c.cancel`
	return c
}

// A named function as finalizer.
type Store struct{ db *sql.DB }

func closeStore(s *Store) { s.db.Close() }

func NewStore(db *sql.DB) *Store {
	s := &Store{db: db}
	runtime.SetFinalizer(s, closeStore) // want `only release of Store's database handle s.db`
	return s
}

// A method expression of an unexported helper on an exported type.
type Pool struct{ l net.Listener }

func (p *Pool) release() { p.l.Close() }

func NewPool(l net.Listener) *Pool {
	p := &Pool{l: l}
	runtime.SetFinalizer(p, (*Pool).release) // want `only release of Pool's listener p.l`
	return p
}

// A finalizer calling a method that releases.
type Conn struct{ c net.Conn }

func (c *Conn) teardown() { c.c.Close() }

func NewConn(nc net.Conn) *Conn {
	c := &Conn{c: nc}
	runtime.SetFinalizer(c, func(c *Conn) { c.teardown() }) // want `only release of Conn's connection c.c`
	return c
}

// An http.Response body.
type Stream struct{ resp *http.Response }

func NewStream(r *http.Response) *Stream {
	s := &Stream{resp: r}
	runtime.SetFinalizer(s, func(s *Stream) { s.resp.Body.Close() }) // want `only release of Stream's closer s.resp.Body`
	return s
}

// AddCleanup with a field as argument.
type Handle struct{ f *os.File }

func NewHandle(f *os.File) *Handle {
	h := &Handle{f: f}
	runtime.AddCleanup(h, func(f *os.File) { _ = f.Close() }, h.f) // want `runtime.AddCleanup is the only release of Handle's file f`
	return h
}

// Nested field.
type inner struct{ conn net.Conn }
type Nested struct{ in inner }

func NewNested(c net.Conn) *Nested {
	n := &Nested{in: inner{c}}
	runtime.SetFinalizer(n, func(n *Nested) { n.in.conn.Close() }) // want `only release of Nested's connection n.in.conn`
	return n
}

// A type with an unrelated exported method still has no release method.
type Reader struct{ f *os.File }

func (r *Reader) Read(b []byte) (int, error) { return r.f.Read(b) }

func NewReader(f *os.File) *Reader {
	r := &Reader{f: f}
	runtime.SetFinalizer(r, func(r *Reader) { r.f.Close() }) // want `only release of Reader's file r.f`
	return r
}

// ---- must stay silent ----

// The finalizer is a safety net beside an exported Close.
type Safe struct{ f *os.File }

func (s *Safe) Close() error {
	runtime.SetFinalizer(s, nil)
	return s.f.Close()
}

func NewSafe(f *os.File) *Safe {
	s := &Safe{f: f}
	runtime.SetFinalizer(s, func(s *Safe) { s.f.Close() })
	return s
}

// Stop counts as a release method.
type Stopper struct{ t *time.Ticker }

func (s *Stopper) Stop() { s.t.Stop() }

func NewStopper() *Stopper {
	s := &Stopper{t: time.NewTicker(time.Second)}
	runtime.SetFinalizer(s, func(s *Stopper) { s.t.Stop() })
	return s
}

// An unexported type with an unexported close (os.file's shape: the
// exported wrapper has Close).
type file struct{ fd int }

func (f *file) close() error { return syscall.Close(f.fd) }

type Wrapper struct{ *file }

func (w *Wrapper) Close() error { return w.file.close() }

func newFile(fd int) *Wrapper {
	f := &file{fd}
	runtime.SetFinalizer(f, (*file).close)
	return &Wrapper{f}
}

// A finalizer that only reports a leak (a debugging aid).
type Tracked struct {
	f      *os.File
	closed bool
}

func (t *Tracked) Shutdown() { t.closed = true; t.f.Close() }

type Counter struct{ n *int }

func NewCounter(n *int) *Counter {
	c := &Counter{n: n}
	runtime.SetFinalizer(c, func(c *Counter) { *c.n-- })
	return c
}

// Finalizer that logs only.
type Logged struct{ name string }

func NewLogged() *Logged {
	l := &Logged{"x"}
	runtime.SetFinalizer(l, func(l *Logged) { println("collected", l.name) })
	return l
}

// Clearing a finalizer.
func clear(s *Session) { runtime.SetFinalizer(s, nil) }

// A type from another package.
func foreign(f *os.File) {
	runtime.SetFinalizer(f, func(f *os.File) { f.Close() })
}

// The released value is not the object's (a global).
var global *os.File

type Unrelated struct{}

func NewUnrelated() *Unrelated {
	u := &Unrelated{}
	runtime.SetFinalizer(u, func(*Unrelated) { global.Close() })
	return u
}

// Release method named Release.
type Buf struct{ f *os.File }

func (b *Buf) Release() { b.f.Close() }

func NewBuf(f *os.File) *Buf {
	b := &Buf{f: f}
	runtime.SetFinalizer(b, func(b *Buf) { b.Release() })
	return b
}

// KeepAlive is not a cleanup.
func keep(s *Session) { runtime.KeepAlive(s) }

// Suppressed with a reason.
type Suppressed struct{ f *os.File }

func NewSuppressed(f *os.File) *Suppressed {
	s := &Suppressed{f: f}
	//lifecycle:ignore finalizer the process is short-lived and never closes these
	runtime.SetFinalizer(s, func(s *Suppressed) { s.f.Close() })
	return s
}
