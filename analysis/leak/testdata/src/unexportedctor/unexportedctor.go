// Package unexportedctor: a package's own unexported constructors
// (newBackend, openStore) return resources like exported ones do, even
// when they build the value from parts, unless the constructor already
// arranged its release: a t.Cleanup it registers (for a part the value's
// release method is promoted from, too), a func result that releases it, a
// goroutine it starts that releases it, or a release method that only
// cancels a context nothing reads.
package unexportedctor

import (
	"context"
	"net"
	"testing"
)

type backend struct {
	conn net.Conn
}

func (b *backend) Close() error { return b.conn.Close() }

// newBackend builds the backend from a connection it dials.
func newBackend(addr string) (*backend, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &backend{conn: c}, nil
}

func ping(addr string) error {
	b, err := newBackend(addr) // want `closer b from unexportedctor.newBackend is never closed`
	if err != nil {
		return err
	}
	_, err = b.conn.Write([]byte("ping"))
	return err
}

func pingClosed(addr string) error {
	b, err := newBackend(addr)
	if err != nil {
		return err
	}
	defer b.Close()
	_, err = b.conn.Write([]byte("ping"))
	return err
}

// A plain in-memory value with a Close method holds nothing.
type buffer struct{ data []byte }

func (b *buffer) Close() error { b.data = nil; return nil }

func newBuffer() *buffer { return &buffer{} }

func fill() int {
	b := newBuffer()
	b.data = append(b.data, 1)
	return len(b.data)
}

// server embeds a listener-backed server: its Close is the embedded one's.
type httpServer struct {
	ln net.Listener
}

func (s *httpServer) Close() { s.ln.Close() }

func startHTTP() *httpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	return &httpServer{ln: ln}
}

type testServer struct {
	*httpServer
	hits int
}

// newTestServer registers the release of the part its Close is promoted
// from: the test closes it.
func newTestServer(t *testing.T) *testServer {
	s := &testServer{}
	s.httpServer = startHTTP()
	t.Cleanup(s.Close)
	return s
}

func TestServer(t *testing.T) {
	s := newTestServer(t)
	s.hits++
}

// newUncleanedServer registers nothing: the test owns the server.
func newUncleanedServer(t *testing.T) *testServer {
	s := &testServer{}
	s.httpServer = startHTTP()
	t.Log("started")
	return s
}

func TestUncleanedServer(t *testing.T) {
	s := newUncleanedServer(t) // want `closer s from unexportedctor.newUncleanedServer is never closed`
	s.hits++
}

// newOtherCleaned registers the release of another server, not of the
// one it returns.
func newOtherCleaned(t *testing.T) *testServer {
	other := startHTTP()
	t.Cleanup(other.Close)
	s := &testServer{}
	s.httpServer = startHTTP()
	return s
}

func TestOtherCleaned(t *testing.T) {
	s := newOtherCleaned(t) // want `closer s from unexportedctor.newOtherCleaned is never closed`
	s.hits++
}

// logHandle wraps a backend whose release the constructor registered.
type logHandle struct {
	*backend
	prefix string
}

func newLogForTest(t *testing.T, addr string) *logHandle {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
	})
	return &logHandle{backend: b, prefix: "test"}
}

func TestLog(t *testing.T) {
	l := newLogForTest(t, "addr")
	l.conn.Write([]byte(l.prefix))
}

func newLogUnregistered(t *testing.T, addr string) *logHandle {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	return &logHandle{backend: b, prefix: "test"}
}

func TestLogUnregistered(t *testing.T) {
	l := newLogUnregistered(t, "addr") // want `closer l from unexportedctor.newLogUnregistered is never closed`
	l.conn.Write([]byte(l.prefix))
}

// initBackend returns a func that releases the backend: the caller owns
// the func, and the backend is borrowed.
func initBackend(t *testing.T, addr string) (*backend, func()) {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	return b, func() { b.Close() }
}

func TestInitBackend(t *testing.T) {
	b, cleanup := initBackend(t, "addr")
	defer cleanup()
	b.conn.Write([]byte("x"))
}

var current string

// initBackendRestore returns a func that restores a variable and leaves
// the backend to its caller.
func initBackendRestore(t *testing.T, addr string) (*backend, func()) {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	old := current
	current = addr
	return b, func() { current = old }
}

func TestInitBackendRestore(t *testing.T) {
	b, restore := initBackendRestore(t, "addr") // want `closer b from unexportedctor.initBackendRestore is never closed`
	defer restore()
	b.conn.Write([]byte("x"))
}

// watcher is closed by the goroutine its constructor starts when the
// store it watches is done.
type watcher struct {
	conn net.Conn
	done chan struct{}
}

func (w *watcher) Close() error {
	close(w.done)
	return w.conn.Close()
}

func newWatcher(storeDone <-chan struct{}, addr string) (*watcher, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	w := &watcher{conn: c, done: make(chan struct{})}
	go func() {
		select {
		case <-storeDone:
			w.Close()
		case <-w.done:
		}
	}()
	return w, nil
}

func watch(storeDone <-chan struct{}) error {
	w, err := newWatcher(storeDone, "addr")
	if err != nil {
		return err
	}
	_, err = w.conn.Write([]byte("watch"))
	return err
}

// newPinger's goroutine uses the connection but never releases it.
func newPinger(addr string) (*watcher, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	w := &watcher{conn: c, done: make(chan struct{})}
	go func() {
		for {
			if _, err := w.conn.Write([]byte("ping")); err != nil {
				return
			}
		}
	}()
	return w, nil
}

func ping2() error {
	w, err := newPinger("addr") // want `closer w from unexportedctor.newPinger is never closed`
	if err != nil {
		return err
	}
	_, err = w.conn.Write([]byte("x"))
	return err
}

// forwarder's Close only cancels a context nothing reads: a context
// derived from Background with no deadline holds nothing.
type forwarder struct {
	ctx    context.Context
	cancel context.CancelFunc
	name   string
}

func (f *forwarder) Close() error {
	f.cancel()
	return nil
}

func newForwarder(name string) *forwarder {
	f := &forwarder{name: name}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

func forward() string {
	f := newForwarder("x")
	return f.name
}

// relay's context is read by the goroutine its constructor starts: Close
// stops that goroutine.
type relay struct {
	ctx    context.Context
	cancel context.CancelFunc
	out    chan int
}

func (r *relay) Close() error {
	r.cancel()
	return nil
}

func newRelay() *relay {
	r := &relay{out: make(chan int)}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	go func() {
		for {
			select {
			case <-r.ctx.Done():
				return
			case r.out <- 1:
			}
		}
	}()
	return r
}

func relayOnce() int {
	r := newRelay() // want `closer r from unexportedctor.newRelay is never closed`
	return <-r.out
}

// timedForwarder's context has a deadline: its cancel stops a timer.
type timedForwarder struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (f *timedForwarder) Close() error {
	f.cancel()
	return nil
}

func newTimedForwarder() *timedForwarder {
	f := &timedForwarder{}
	f.ctx, f.cancel = context.WithTimeout(context.Background(), 1e9)
	return f
}

func timedForward() bool {
	f := newTimedForwarder() // want `closer f from unexportedctor.newTimedForwarder is never closed`
	return f.cancel != nil
}

// dnsForwarder keeps the connection it is given and a context nothing
// reads: its Close releases nothing the caller does not release itself.
type dnsForwarder struct {
	conn   net.Conn
	ctx    context.Context
	cancel context.CancelFunc
}

func (f *dnsForwarder) Close() error {
	f.cancel()
	return nil
}

func newDNSForwarder(c net.Conn) *dnsForwarder {
	f := &dnsForwarder{conn: c}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

func forwardDNS(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	f := newDNSForwarder(c)
	_, err = f.conn.Write([]byte("q"))
	return err
}

// watchForwarder's context is waited on by the goroutine its start method
// starts, but its constructor starts none: until start runs, nothing
// waits on the context, and cancelling it releases nothing. (Its Close
// would block on a loop never started, as a probe's does.)
type watchForwarder struct {
	conn    net.Conn
	ctx     context.Context
	cancel  context.CancelFunc
	stopped chan struct{}
}

func (f *watchForwarder) Close() error {
	f.cancel()
	<-f.stopped
	return nil
}

func (f *watchForwarder) start() {
	go func() {
		defer close(f.stopped)
		<-f.ctx.Done()
	}()
}

func newWatchForwarder(c net.Conn) *watchForwarder {
	f := &watchForwarder{conn: c, stopped: make(chan struct{})}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

func forwardWatched(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	f := newWatchForwarder(c)
	_, err = f.conn.Write([]byte("q"))
	return err
}

// scopedForwarder's context is derived from its caller's: until it is
// cancelled, the parent keeps it among its children.
type scopedForwarder struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (f *scopedForwarder) Close() error {
	f.cancel()
	return nil
}

func newScopedForwarder(parent context.Context) *scopedForwarder {
	f := &scopedForwarder{}
	f.ctx, f.cancel = context.WithCancel(parent)
	return f
}

func forwardScoped(ctx context.Context) bool {
	f := newScopedForwarder(ctx) // want `closer f from unexportedctor.newScopedForwarder is never closed`
	return f.cancel != nil
}

// initBackendWaiting has a defer, so its results live in slots until the
// deferred call ran: the func it returns still releases the backend.
func initBackendWaiting(t *testing.T, addr string) (*backend, func()) {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if ctx.Err() != nil {
		t.Fatal(ctx.Err())
	}
	return b, func() { b.Close() }
}

func TestInitBackendWaiting(t *testing.T) {
	b, cleanup := initBackendWaiting(t, "addr")
	defer cleanup()
	b.conn.Write([]byte("x"))
}

// initBackendWaitingRestore has the same shape, and its func only
// restores a variable.
func initBackendWaitingRestore(t *testing.T, addr string) (*backend, func()) {
	b, err := newBackend(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if ctx.Err() != nil {
		t.Fatal(ctx.Err())
	}
	old := current
	current = addr
	return b, func() { current = old }
}

func TestInitBackendWaitingRestore(t *testing.T) {
	b, restore := initBackendWaitingRestore(t, "addr") // want `closer b from unexportedctor.initBackendWaitingRestore is never closed`
	defer restore()
	b.conn.Write([]byte("x"))
}

// transport wraps the connection it is given and reads it in a goroutine
// that ends when the connection is closed. Its unexported constructor
// acquires nothing itself: the value is a layer of its caller's
// connection, released when the caller closes that (compare newPinger,
// which dials its own).
type transport struct {
	conn net.Conn
	in   chan []byte
}

func (t *transport) Close() error { return t.conn.Close() }

func (t *transport) readLoop() {
	defer close(t.in)
	buf := make([]byte, 1)
	for {
		if _, err := t.conn.Read(buf); err != nil {
			return
		}
		t.in <- buf
	}
}

func newTransport(c net.Conn) *transport {
	t := &transport{conn: c, in: make(chan []byte)}
	go t.readLoop()
	return t
}

func handshake(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	t := newTransport(c)
	<-t.in
	return nil
}

// Queue is generic: its methods read the context through their own
// instance of the type, and that is still a read of the field.
type Queue[T any] struct {
	ctx    context.Context
	cancel context.CancelFunc
	items  []T
}

func (q *Queue[T]) Close() error {
	q.cancel()
	return nil
}

func (q *Queue[T]) Wait() error {
	<-q.ctx.Done()
	return q.ctx.Err()
}

func NewQueue[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	return q
}

func queueLen() int {
	q := NewQueue[int]() // want `closer q from unexportedctor.NewQueue is never closed`
	return len(q.items)
}
