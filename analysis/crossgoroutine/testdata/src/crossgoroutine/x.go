package crossgoroutine

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// ---- Shape 1: released by a goroutine while the owner still uses it ----

func closeWhileReading(conn net.Conn) {
	buf := make([]byte, 512)
	go func() {
		conn.Close() // want `conn.Close\(\) in a goroutine releases the connection while the function that started it still uses conn`
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

func copyThenClose(dst io.Writer, f *os.File, other io.Reader) {
	go func() {
		io.Copy(f, other)
		f.Close() // want `f.Close\(\) in a goroutine releases the file`
	}()
	io.Copy(dst, f)
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
	<-t.C
}

// ---- Shape 2: the owner's deferred release races a goroutine ----

func stream(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns, while a goroutine it started may still use f`
	go func() {
		io.Copy(w, f)
	}()
	return nil
}

func streamOneLine(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go func() { io.Copy(w, f) }()
	return nil
}

func bodyToWorker(url string, out chan<- string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // want `deferred resp.Body.Close\(\) runs when the function returns`
	go func() {
		// scan the body line by line
		s := bufio.NewScanner(resp.Body)
		for s.Scan() {
			out <- s.Text()
		}
	}()
	return nil
}

func passedAsArgument(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go copyTo(w, f)
	return nil
}

func copyTo(w io.Writer, r io.Reader) { io.Copy(w, r) }

func rowsToWorker(db *sql.DB, out chan<- int) error {
	rows, err := db.Query("select id from t")
	if err != nil {
		return err
	}
	defer rows.Close() // want `deferred rows.Close\(\) runs when the function returns`
	go func() {
		for rows.Next() {
			var id int
			rows.Scan(&id)
			out <- id
		}
	}()
	return nil
}

// Still used after the go statement: reported, but no fix (moving the
// defer would close the file under the owner).
func usedAfterGo(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go func() {
		io.Copy(w, f)
	}()
	_, err = f.Stat()
	return err
}

// ---- Shape 3: fire-and-forget cleanup ----

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

type holder struct{ l net.Listener }

func (h *holder) shutdown() {
	go h.l.Close() // want `go h.l.Close\(\) releases the listener`
}

func fireAndForgetTicker(t *time.Ticker) {
	go t.Stop() // want `go t.Stop\(\) releases the ticker`
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

// Ownership handed to the goroutine: bodyclose's false positive on a body
// handed to a goroutine that drains and closes it (research sample OK8).
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

func handOffDeferred(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	go func() {
		defer f.Close()
		io.Copy(w, f)
	}()
	return nil
}

// Joined with a WaitGroup before the deferred release runs.
func joinedWaitGroup(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(w, f)
	}()
	wg.Wait()
	return nil
}

// A deferred Wait registered before the deferred Close runs after it: the
// function still does not return while the goroutine runs, and closing
// first is the deliberate "close to unblock, then wait" order
// (os/readfrom_linux_test.go in the standard library).
func waitRegisteredFirst(w io.Writer, path string) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(w, f)
	}()
	return nil
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

// A producer that writes a pipe and closes it to signal EOF to the reader.
func producerCloses(r io.Reader) {
	pr, pw := io.Pipe()
	go func() {
		io.Copy(pw, r)
		pw.Close()
	}()
	pw.Write(nil)
	io.ReadAll(pr)
}

// Closing a pipe in the owner's defer stops the reading goroutine
// (net/http/httputil.DumpRequestOut).
func pipeDeferred(w io.Writer) {
	pr, pw := io.Pipe()
	defer pr.Close()
	defer pw.Close()
	go func() {
		io.Copy(w, pr)
	}()
}

// Connections are closed asynchronously on purpose: Close may block on a
// TLS close_notify (net/http's h2 bundle).
func asyncConnClose(c net.Conn) {
	go c.Close()
}

// The owner reads only the address after the goroutine closed the listener.
func addrAfterClose(l net.Listener) string {
	go func() {
		defer l.Close()
		l.Accept()
	}()
	return l.Addr().String()
}

// A deferred Wait registered after the deferred Close runs before it.
func deferredWaitAfter(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(w, f)
	}()
	return nil
}

func joinedErrgroup(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var g errgroup.Group
	done := make(chan struct{})
	go func() {
		io.Copy(w, f)
		close(done)
	}()
	g.Go(func() error { return nil })
	return g.Wait()
}

func joinedDoneChannel(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(w, f)
		done <- err
	}()
	return <-done
}

// Closing a listener or a connection is how an accept or read loop is
// stopped: not reported in shape 2.
func serveUntilReturn(l net.Listener) {
	defer l.Close()
	go http.Serve(l, nil)
	time.Sleep(time.Millisecond)
}

func readLoop(conn net.Conn, lines chan<- string) {
	defer conn.Close()
	go func() {
		s := bufio.NewScanner(conn)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	conn.Write([]byte("hello\n"))
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
		f.Stat()
	}()
}

// Suppressed with a reason.
func suppressedFire(f *os.File) {
	//lifecycle:ignore crossgoroutine Close blocks for seconds on this NFS mount; the error is logged by the OS
	go f.Close()
}
