package crossgoroutine

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// Shape 3: fire-and-forget cleanup, `go x.Close()`, that nothing waits for.

func fireAndForgetBody(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go resp.Body.Close() // want `go resp.Body.Close\(\) releases the response body in a goroutine nobody waits for`
	return nil
}

func fireAndForgetFile(f *os.File) {
	go f.Close() // want `go f.Close\(\) releases the file in a goroutine nobody waits for`
}

// The release's error becomes the function's error.
func finish(f *os.File, n int) (int, error) {
	go f.Close() // want `go f.Close\(\) releases the file`
	return n, nil
}

// The function fails anyway: the release is made synchronous, its error is
// dropped as before.
func failAndClose(f *os.File) error {
	go f.Close() // want `go f.Close\(\) releases the file`
	return fmt.Errorf("giving up on %s", f.Name())
}

type holder struct {
	mu sync.Mutex
	l  net.Listener
}

func (h *holder) shutdown() {
	go h.l.Close() // want `go h.l.Close\(\) releases the listener`
}

func fireAndForgetTicker(t *time.Ticker) {
	go t.Stop() // want `go t.Stop\(\) releases the ticker`
}

// A connection closed asynchronously with nothing that waits for it or a
// lock that explains it.
func asyncConnClose(c net.Conn) {
	go c.Close() // want `go c.Close\(\) releases the connection`
}

// The lock is released before the go statement: it explains nothing
// (closeUnderLock, which holds it, is silent).
func (h *holder) unlockedFirst() {
	h.mu.Lock()
	l := h.l
	h.mu.Unlock()
	go l.Close() // want `go l.Close\(\) releases the listener`
}

// client has a Close that may take long and a Done channel closed when it
// is finished.
type client struct{ done chan struct{} }

func (c *client) Close() error          { close(c.done); return nil }
func (c *client) Done() <-chan struct{} { return c.done }

// The owner does other work that may block before it waits: the release
// is not what it observes first (closeThenDone is silent).
func closeThenWrite(c *client, conn net.Conn, done <-chan struct{}) {
	go c.Close() // want `go c.Close\(\) releases the closer`
	conn.Write([]byte("bye"))
	<-done
}

// worker's Stop ends its goroutine: a release, whatever the name (a Stop
// that only pauses, togglePause, is silent).
type worker struct{ quit chan struct{} }

func (w *worker) Stop() { close(w.quit) }

func stopWorker(w *worker) {
	go w.Stop() // want `go w.Stop\(\) releases the stopper`
}

// ---- Must stay silent ----

// The owner waits for the release to finish.
func closeThenDone(c *client) {
	go c.Close()
	<-c.Done()
}

func closeThenDoneSelect(c *client, timeout <-chan time.Time) error {
	go c.Close()
	select {
	case <-c.Done():
		return nil
	case <-timeout:
		return fmt.Errorf("close timed out")
	}
}

// Closing asynchronously while holding a lock keeps a slow Close from
// blocking everyone waiting for the lock.
func (h *holder) closeUnderLock() {
	h.mu.Lock()
	defer h.mu.Unlock()
	go h.l.Close()
}

// By convention the caller of a …Locked method holds the lock.
func (h *holder) closeListenerLocked() {
	go h.l.Close()
}

func (h *holder) each(f func(net.Listener)) { f(h.l) }

// A closure called while its creator holds the lock.
func (h *holder) closeAllUnderLock() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.each(func(l net.Listener) {
		go l.Close()
	})
}

// Suppressed with a reason.
func suppressedFire(f *os.File) {
	//lifecycle:ignore crossgoroutine Close blocks for seconds on this NFS mount; the error is logged by the OS
	go f.Close()
}

// The owner waits right after starting the release: it observes the
// release, which here blocks until the owner hears about it and answers.
func closeAndObserve(c *client, closing <-chan struct{}, ack chan<- struct{}) {
	go c.Close()
	<-closing
	ack <- struct{}{}
}

// waiter has a Close that returns at once and a Wait for its end.
type waiter struct{ done chan struct{} }

func (w *waiter) Close() error { close(w.done); return nil }
func (w *waiter) Wait()        { <-w.done }

// The owner waits for the release on the value itself, after other work
// that may block (closeThenWrite, which never waits on the value, is
// reported).
func closeThenWait(w *waiter, conn net.Conn) {
	go w.Close()
	conn.Write([]byte("bye"))
	w.Wait()
}

// pauser's Stop only pauses it (Start resumes): it releases nothing, so
// starting it in a goroutine is no fire-and-forget cleanup.
type pauser struct {
	mu     sync.Mutex
	paused bool
}

func (p *pauser) Start() { p.mu.Lock(); p.paused = false; p.mu.Unlock() }
func (p *pauser) Stop()  { p.mu.Lock(); p.paused = true; p.mu.Unlock() }

func togglePause(p *pauser) {
	go p.Stop()
	p.Start()
}
