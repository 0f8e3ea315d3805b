package crossgoroutine

import (
	"bufio"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
)

// Shape 2: the owner's deferred release runs when it returns, while a
// goroutine it started still uses the value, and the owner reaches the
// return without waiting or blocking on anything.

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

// Logging does not wait: the owner still returns at once.
func streamAndLog(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go func() {
		io.Copy(w, f)
	}()
	log.Printf("streaming %s", path)
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

func handle(c net.Conn) { io.Copy(c, c) }

// The owner returns at once and closes the connection under the handler.
func acceptOne(l net.Listener) {
	conn, err := l.Accept()
	if err != nil {
		return
	}
	defer conn.Close() // want `deferred conn.Close\(\) runs when the function returns, while a goroutine it started may still use conn`
	go handle(conn)
	return
}

func echoOne(l net.Listener) error {
	conn, err := l.Accept()
	if err != nil {
		return err
	}
	defer conn.Close() // want `deferred conn.Close\(\) runs when the function returns`
	go func() {
		io.Copy(conn, conn)
	}()
	return nil
}

// Closing the read end of a pipe right after starting its reader.
func pipeDeferred(w io.Writer) *io.PipeWriter {
	pr, pw := io.Pipe()
	defer pr.Close() // want `deferred pr.Close\(\) runs when the function returns`
	go func() {
		io.Copy(w, pr)
	}()
	return pw
}

// A server closed as soon as its Serve loop starts, with nothing in between.
func serveAndReturn(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h}
	defer srv.Close() // want `deferred srv.Close\(\) runs when the function returns`
	go srv.Serve(ln)
}

func pollTestServer(h http.Handler, results chan<- string) {
	ts := httptest.NewServer(h)
	defer ts.Close() // want `deferred ts.Close\(\) runs when the function returns`
	go func() {
		resp, err := http.Get(ts.URL)
		if err == nil {
			results <- resp.Status
			resp.Body.Close()
		}
	}()
}

// An errgroup nobody waits for.
func errgroupNoWait(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	var g errgroup.Group
	g.Go(func() error {
		_, err := io.Copy(w, f)
		return err
	})
	return nil
}

// A deferred closure that releases counts as the deferred release.
func deferredClosure(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { f.Close() }() // want `deferred func\(\) { f.Close\(\) }\(\) runs when the function returns`
	go func() {
		io.Copy(w, f)
	}()
	return nil
}

// The goroutine releases the value too, once done with it: the owner's
// release at its return still comes first. Reported, with no fix (moving
// the owner's release would release twice).
func goroutineReleasesToo(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go func() {
		io.Copy(w, f)
		f.Close()
	}()
	return nil
}

func serveAndClose(c net.Conn) {
	defer c.Close()
	io.Copy(c, c)
}

// The handler closes the connection itself, and the owner closes it under
// the handler as soon as it returns.
func acceptOneHandlerCloses(l net.Listener) {
	conn, err := l.Accept()
	if err != nil {
		return
	}
	defer conn.Close() // want `deferred conn.Close\(\) runs when the function returns`
	go serveAndClose(conn)
}

// ---- Must stay silent ----

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
// first is the deliberate "close to unblock, then wait" order.
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

func deferredClosureWaits(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	done := make(chan struct{})
	defer func() { <-done }()
	go func() {
		io.Copy(w, f)
		close(done)
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
	g.Go(func() error {
		_, err := io.Copy(w, f)
		return err
	})
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

// The owner exchanges a request with the server before closing it: closing
// a server is how its Serve loop stops (serveAndReturn, which returns at
// once, is reported).
func serveThenRequest(ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h}
	defer srv.Close()
	go srv.Serve(ln)
	resp, err := http.Get("http://" + ln.Addr().String())
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// The owner waits for the goroutine's result before the test server closes.
func pollTestServerJoined(h http.Handler) string {
	ts := httptest.NewServer(h)
	defer ts.Close()
	results := make(chan string, 1)
	go func() {
		resp, err := http.Get(ts.URL)
		if err != nil {
			results <- err.Error()
			return
		}
		results <- resp.Status
		resp.Body.Close()
	}()
	return <-results
}

// Closing a listener after the owner slept: the accept loop is stopped on
// purpose.
func serveUntilReturn(l net.Listener) {
	defer l.Close()
	go http.Serve(l, nil)
	time.Sleep(time.Millisecond)
}

// The owner writes to the connection the goroutine reads; closing it when
// the exchange is over stops the read loop (echoOne, which returns at
// once, is reported).
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

// The owner feeds the pipe the goroutine reads: each write waits for the
// reader (pipeDeferred, which returns at once, is reported).
func pipeFed(w io.Writer, data []byte) {
	pr, pw := io.Pipe()
	defer pr.Close()
	go func() {
		io.Copy(w, pr)
	}()
	pw.Write(data)
	pw.Close()
}

// The goroutines are joined by a loop that the analysis cannot prove runs:
// a path that skips it is not evidence (streamAndLog, with no wait at all,
// is reported).
func joinedInLoop(w io.Writer, f *os.File, n int) {
	defer f.Close()
	done := make(chan bool)
	for range n {
		go func() {
			io.Copy(w, f)
			done <- true
		}()
	}
	for range n {
		<-done
	}
}

type agent struct{ ln net.Listener }

// The deferred closure releases only on failure; on the path after the go
// statement the listener is handed to the agent (deferredClosure, which
// releases on every path, is reported).
func (a *agent) start(path string) (err error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			ln.Close()
		}
	}()
	if err := os.Chmod(path, 0o600); err != nil {
		return err
	}
	go http.Serve(ln, nil)
	a.ln = ln
	return nil
}

// The owner hands a function that waits to a call that runs it.
func runsWaitingFunc(w io.Writer, f *os.File) {
	defer f.Close()
	done := make(chan struct{})
	go func() {
		io.Copy(w, f)
		close(done)
	}()
	testing.AllocsPerRun(1, func() { <-done })
}

// A named function, with an argument reassigned after the go statement:
// run inside a function literal, the call would see the new value. No fix.
func wrapWouldSeeNewValue(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	w := io.Writer(os.Stdout)
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go copyTo(w, f)
	w = os.Stderr
	_ = w
	return nil
}

// A function of another package: whether it keeps or releases the value is
// not known here. No fix.
func otherPackageCallee(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go io.Copy(w, f)
	return nil
}

func copyInBackground(w io.Writer, r io.Reader) {
	go io.Copy(w, r)
}

// The callee hands the value to a goroutine of its own and returns: a
// release when it returns would still cut that goroutine short. No fix.
func calleeStartsGoroutine(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) runs when the function returns`
	go copyInBackground(w, f)
	return nil
}
