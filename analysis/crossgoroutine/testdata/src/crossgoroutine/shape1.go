package crossgoroutine

import (
	"context"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Shape 1: a goroutine releases a value that its owner still uses after the
// go statement, and nothing orders the release after the owner's use.

func closeWhileReading(conn net.Conn) {
	buf := make([]byte, 512)
	go func() {
		conn.Close() // want `conn.Close\(\) in a goroutine releases the connection while the function that started it still uses conn after the go statement, and nothing orders the two`
	}()
	conn.Read(buf)
}

func bodyClosedByOther(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	go func() {
		resp.Body.Close() // want `resp.Body.Close\(\) in a goroutine releases the response body while`
	}()
	return io.ReadAll(resp.Body)
}

// The goroutine logs first (which does not wait for anything), then closes
// the body the owner is copying.
func logThenClose(url string, dst io.Writer) (int64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	go func() {
		log.Printf("downloading %s (%d bytes)", url, resp.ContentLength)
		resp.Body.Close() // want `resp.Body.Close\(\) in a goroutine releases the response body`
	}()
	return io.Copy(dst, resp.Body)
}

// The goroutine writes the file and closes it while the owner reads it.
func copyThenClose(dst io.Writer, f *os.File, other io.Reader) {
	go func() {
		io.Copy(f, other)
		f.Close() // want `f.Close\(\) in a goroutine releases the file`
	}()
	io.Copy(dst, f)
}

// A goroutine that writes and then closes a connection the owner is still
// reading: the owner's read fails instead of getting the reply.
func writeThenCloseConn(conn net.Conn, msg []byte) {
	go func() {
		conn.Write(msg)
		conn.Close() // want `conn.Close\(\) in a goroutine releases the connection`
	}()
	buf := make([]byte, 512)
	conn.Read(buf)
}

// The same with a deferred release in the goroutine.
func writeThenDeferredClose(conn net.Conn, msg []byte) {
	go func() {
		defer conn.Close() // want `deferred conn.Close\(\) in a goroutine releases the connection`
		conn.Write(msg)
	}()
	conn.Read(make([]byte, 512))
}

func rowsClosedByWorker(db *sql.DB) {
	rows, err := db.Query("select 1")
	if err != nil {
		return
	}
	go func() {
		rows.Close() // want `rows.Close\(\) in a goroutine releases the rows`
	}()
	for rows.Next() {
	}
}

func tickerStopped() {
	t := time.NewTicker(time.Second)
	go func() {
		t.Stop() // want `t.Stop\(\) in a goroutine releases the ticker`
	}()
	t.Reset(time.Minute)
}

// Closing a listener at once, with nothing waited for, races the owner's
// Accept whatever the type.
func listenerClosedAtOnce(l net.Listener) {
	go func() {
		l.Close() // want `l.Close\(\) in a goroutine releases the listener`
	}()
	l.Accept()
}

// A pipe writer closed under the owner's write.
func pipeWriterClosed(data []byte) *io.PipeReader {
	pr, pw := io.Pipe()
	go func() {
		pw.Close() // want `pw.Close\(\) in a goroutine releases the closer`
	}()
	pw.Write(data)
	return pr
}

func closeIt(c io.Closer) {
	c.Close() // want `c.Close\(\) in a goroutine releases the file while the function that started it still uses f`
}

// The goroutine runs a function of the package that releases its argument.
func helperCloses(f *os.File, buf []byte) {
	go closeIt(f)
	f.Read(buf)
}

// errgroup goroutines are goroutines too: the owner copies before it waits.
func closedByErrgroup(dst io.Writer, f *os.File) error {
	var g errgroup.Group
	g.Go(func() error {
		return f.Close() // want `f.Close\(\) in a goroutine releases the file`
	})
	io.Copy(dst, f)
	return g.Wait()
}

// Of two releases, the one that does not wait is reported.
func closeEarlyOrLater(conn net.Conn, stop <-chan struct{}, early bool) {
	go func() {
		if early {
			conn.Close() // want `conn.Close\(\) in a goroutine releases the connection`
			return
		}
		<-stop
		conn.Close()
	}()
	conn.Read(make([]byte, 1))
}

// ---- Must stay silent ----

// Deliberate cancellation: wait for ctx, then close to unblock the owner.
func cancelOnDone(ctx context.Context, conn net.Conn) {
	go func() {
		<-ctx.Done()
		conn.Close()
	}()
	buf := make([]byte, 10)
	conn.Read(buf)
}

func cancelOnStop(conn net.Conn, stop chan struct{}) {
	go func() {
		select {
		case <-stop:
		case <-time.After(time.Minute):
		}
		conn.Close()
	}()
	io.Copy(io.Discard, conn)
}

func watchdog(f *os.File) {
	go func() {
		time.Sleep(time.Second)
		f.Close()
	}()
	io.Copy(io.Discard, f)
}

func cancelAfterWait(conn net.Conn, wg *sync.WaitGroup) {
	go func() {
		wg.Wait()
		conn.Close()
	}()
	conn.Read(make([]byte, 1))
}

func closeOnSignal(sig <-chan struct{}, c io.Closer) {
	<-sig
	c.Close()
}

// The goroutine runs a function of the package that waits, then releases.
func helperWaitsThenCloses(sig chan struct{}, conn net.Conn) {
	go closeOnSignal(sig, conn)
	conn.Read(make([]byte, 1))
}

// context.AfterFunc runs its function once ctx is done: cancellation.
func afterFuncCloses(ctx context.Context, conn net.Conn) {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	conn.Read(make([]byte, 1))
}

// An errgroup goroutine that waits for the group's context, then closes.
func errgroupCancel(ctx context.Context, conn net.Conn) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		<-ctx.Done()
		return conn.Close()
	})
	conn.Read(make([]byte, 1))
	return g.Wait()
}

// UDP request/response: the goroutine closes the socket only after it read
// the reply to the owner's write (the same shape with a write instead of
// the read is writeThenCloseConn, reported).
func udpExchange(u net.PacketConn, addr net.Addr, req []byte) int {
	replies := make(chan int, 1)
	go func() {
		buf := make([]byte, 1500)
		n, _, _ := u.ReadFrom(buf)
		u.Close()
		replies <- n
	}()
	u.WriteTo(req, addr)
	return <-replies
}

// A goroutine that waits on another connection, then closes this one
// (crypto/tls's TestCloseClientConnectionOnIdleServer): event-triggered.
func closeAfterPeerEvent(client, peer net.Conn) {
	go func() {
		var b [1]byte
		peer.Read(b[:])
		client.Close()
	}()
	client.Read(make([]byte, 1))
}

// Ownership handed to the goroutine: bodyclose's false positive on a body
// handed to a goroutine that drains and closes it.
func handOffBody(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	return nil
}

// A producer that writes a pipe and closes it to signal EOF to the owner,
// which reads the other end.
func producerCloses(r io.Reader) ([]byte, error) {
	pr, pw := io.Pipe()
	go func() {
		io.Copy(pw, r)
		pw.Close()
	}()
	return io.ReadAll(pr)
}

// The pipe writer's only later "use" is being returned.
func pipeWriterReturned(r io.Reader) (*io.PipeReader, *io.PipeWriter) {
	pr, pw := io.Pipe()
	go func() {
		pr.Close()
	}()
	return pr, pw
}

// The owner reads only the address after the goroutine closed the listener.
func addrAfterClose(l net.Listener) string {
	go func() {
		defer l.Close()
		l.Accept()
	}()
	return l.Addr().String()
}

// A field is not owned by the function.
type server struct{ f *os.File }

func (s *server) serve(w io.Writer) {
	go func() {
		s.f.Close()
	}()
	s.f.Read(nil)
}

// The goroutine opens and closes its own file.
func ownFile(path string) {
	go func() {
		f, err := os.Open(path)
		if err != nil {
			return
		}
		f.Close()
	}()
}

func serveConn(c net.Conn) {
	if _, err := c.Write([]byte("hello")); err != nil {
		c.Close()
		return
	}
	io.Copy(c, c)
	c.Close()
}

// Each iteration accepts a new connection: the next iteration's use is of
// another value, not of the one handed to the goroutine.
func acceptLoop(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			if conn != nil {
				conn.Close()
			}
			continue
		}
		log.Println("accepted", conn.RemoteAddr())
		go serveConn(conn)
	}
}

// streamEnd is a stream end with a field its owner consults.
type streamEnd struct{ blocked, closed chan struct{} }

func (e *streamEnd) Write(b []byte) (int, error) { return len(b), nil }
func (e *streamEnd) Close() error                { close(e.closed); return nil }

// The owner only reads a field of the value after the go statement, then
// waits (writeThenCloseConn, where the owner reads the value, is reported).
func waitUntilBlocked(w *streamEnd, r io.Reader) {
	go func() {
		w.Write(make([]byte, 64))
		w.Close()
	}()
	<-w.blocked
	io.Copy(io.Discard, r)
}

// watcher closes itself when its sources are gone.
type watcher struct {
	mu      sync.Mutex
	sources []string
	changes chan bool
	stop    chan struct{}
}

func (w *watcher) Close() error { close(w.stop); return nil }
func (w *watcher) Refresh()     {}

func (w *watcher) watch() {
	for range w.changes {
	}
	w.mu.Lock()
	gone := len(w.sources) == 0
	w.mu.Unlock()
	if gone {
		w.Close()
	}
}

// The goroutine waits (a range over a channel), reads its own fields and
// closes: reading fields is not an operation the release could race.
func startWatcher(sources []string) *watcher {
	w := &watcher{sources: sources, changes: make(chan bool)}
	go w.watch()
	w.Refresh()
	return w
}

// No fix moves the release into the owner where the owner hands the value
// over or may release it, or where the goroutine runs in a loop.

func handsOver(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	go func() {
		resp.Body.Close() // want `resp.Body.Close\(\) in a goroutine releases the response body`
	}()
	resp.Body.Read(make([]byte, 1))
	return resp, nil
}

func closedPerIteration(urls []string, dst io.Writer) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		go func() {
			resp.Body.Close() // want `resp.Body.Close\(\) in a goroutine releases the response body`
		}()
		io.Copy(dst, resp.Body)
	}
}

func passedAsCloser(url string, sink func(io.ReadCloser)) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	go func() {
		resp.Body.Close() // want `resp.Body.Close\(\) in a goroutine releases the response body`
	}()
	sink(resp.Body)
}
