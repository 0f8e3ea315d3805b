package loopdefer

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// ---- positives ----

// The motivating incident: every file of a listing stays open.
func countLines(names []string) (int, error) {
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop: each iteration's file is released only when countLines returns`
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			n++
		}
	}
	return n, nil
}

// Simple wrap: the body has no jumps.
func touchAll(names []string) {
	for _, name := range names {
		f, err := os.Create(name)
		if err != nil {
			log.Print(err)
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		f.WriteString("x")
	}
}

// Wrap with continue rewritten.
func sizes(names []string) []int64 {
	var out []int64
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		st, err := f.Stat()
		if err != nil {
			continue
		}
		out = append(out, st.Size())
	}
	return out
}

// Nested loop: the inner loop's body is wrapped; the inner loop's own
// break stays.
func grep(dirs [][]string, word string) int {
	hits := 0
	for _, names := range dirs {
		for _, name := range names {
			f, err := os.Open(name)
			if err != nil {
				continue
			}
			defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if strings.Contains(sc.Text(), word) {
					hits++
					break
				}
			}
		}
	}
	return hits
}

// A three-clause for loop with a response body.
func poll(url string, n int) {
	for i := 0; i < n; i++ {
		resp, err := http.Get(url)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred inside a for loop: each iteration's response body is released only`
		io.Copy(io.Discard, resp.Body)
	}
}

// Labelled continue to the outer loop: a flag carries it out of the body.
func firstLines(groups [][]string) []string {
	var out []string
outer:
	for _, g := range groups {
		for _, name := range g {
			f, err := os.Open(name)
			if err != nil {
				continue outer
			}
			defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
			sc := bufio.NewScanner(f)
			if sc.Scan() {
				out = append(out, sc.Text())
			}
		}
	}
	return out
}

// Labelled continue of the wrapped loop itself: rewritten, label dropped.
func nonEmpty(names []string) int {
	n := 0
next:
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue next
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		st, err := f.Stat()
		if err != nil || st.Size() == 0 {
			continue next
		}
		n++
	}
	return n
}

// A break out of the loop: a flag carries it out of the body.
func untilMissing(names []string) int {
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			break
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		if _, err := io.Copy(io.Discard, f); err != nil {
			break
		}
		n++
	}
	return n
}

// Database rows per query.
func counts(db *sql.DB, tables []string) map[string]int {
	out := map[string]int{}
	for _, t := range tables {
		rows, err := db.Query("SELECT count(*) FROM " + t)
		if err != nil {
			continue
		}
		defer rows.Close() // want `rows.Close\(\) is deferred inside a range loop: each iteration's rows is released only`
		for rows.Next() {
			var n int
			rows.Scan(&n)
			out[t] = n
		}
	}
	return out
}

// A transaction per item, committed only when the insert worked.
func insertAll(db *sql.DB, items []string) {
	for _, it := range items {
		tx, err := db.Begin()
		if err != nil {
			continue
		}
		defer tx.Rollback() // want `tx.Rollback\(\) is deferred inside a range loop: each iteration's transaction`
		if _, err := tx.Exec("INSERT INTO t VALUES (?)", it); err == nil {
			tx.Commit()
		}
	}
}

// A context per attempt: timers and contexts pile up.
func retry(ctx context.Context, urls []string) {
	for _, u := range urls {
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `cancel\(\) is deferred inside a range loop: each iteration's cancel function`
		req, _ := http.NewRequestWithContext(cctx, "GET", u, nil)
		_ = req
	}
}

// A connection per address, in an infinite accept-style loop.
func dialForever(addr string) {
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		defer c.Close() // want `c.Close\(\) is deferred inside a for loop: each iteration's connection`
		c.Write([]byte("ping"))
	}
}

// A ticker per round.
func rounds(n int) {
	for i := 0; i < n; i++ {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop() // want `t.Stop\(\) is deferred inside a for loop: each iteration's ticker`
		<-t.C
	}
}

// A deferred closure that releases is still deferred to function exit.
func closureRelease(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer func() { // want `f.Close\(\) is deferred inside a range loop`
			if err := f.Close(); err != nil {
				log.Print(err)
			}
		}()
		io.Copy(io.Discard, f)
	}
}

// A variable declared outside the loop but assigned per iteration and not
// used after it.
func outerVar(names []string) {
	var f *os.File
	var err error
	for _, name := range names {
		f, err = os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		io.Copy(io.Discard, f)
	}
}

// Test servers in a table-driven test pile up too (openbao #3110 counted
// these).
func TestTable(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close() // want `srv.Close\(\) is deferred inside a range loop: each iteration's test server`
		http.Get(srv.URL + "/" + tc)
	}
}

// A generic closer from a user constructor.
type conn struct{}

func (*conn) Close() error { return nil }
func (*conn) Send(string)  {}

func openConn(addr string) (*conn, error) { return &conn{}, nil }

func broadcast(addrs []string, msg string) {
	for _, a := range addrs {
		c, err := openConn(a)
		if err != nil {
			continue
		}
		defer c.Close() // want `c.Close\(\) is deferred inside a range loop: each iteration's closer`
		c.Send(msg)
	}
}

// The defer is followed by a conditional return only: other iterations
// still pile up.
func findHeader(names []string) string {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		sc := bufio.NewScanner(f)
		if sc.Scan() && strings.HasPrefix(sc.Text(), "#") {
			return sc.Text()
		}
	}
	return ""
}

// Two releases in one loop share the fix.
func copyPairs(pairs [][2]string) {
	for _, p := range pairs {
		src, err := os.Open(p[0])
		if err != nil {
			continue
		}
		defer src.Close() // want `src.Close\(\) is deferred inside a range loop`
		dst, err := os.Create(p[1])
		if err != nil {
			continue
		}
		defer dst.Close() // want `dst.Close\(\) is deferred inside a range loop`
		io.Copy(dst, src)
	}
}

// A raw string spanning lines keeps its text when the body is re-indented.
func writeTemplates(names []string) {
	for _, name := range names {
		f, err := os.Create(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		f.WriteString(`line one
line two`)
	}
}

// Suppressed with a reason.
func suppressed(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		//lifecycle:ignore loopdefer at most three names, read by a human
		defer f.Close()
		io.Copy(io.Discard, f)
	}
}

// ---- must stay silent ----

// The closing scope itself (the fix's result and go-critic's "after").
func scoped(names []string) {
	for _, name := range names {
		func() {
			f, err := os.Open(name)
			if err != nil {
				return
			}
			defer f.Close()
			io.Copy(io.Discard, f)
		}()
	}
}

// A goroutine per item releases its own connection.
func serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			io.Copy(c, c)
		}()
	}
}

// go-critic deferInLoop (fasthttp PR #2288 discussion, openbao #3110): a
// loop that returns right after the defer runs it at most once.
func firstReadable(names []string) (*bufio.Reader, []byte, error) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		return nil, b, err
	}
	return nil, nil, errors.New("none")
}

// A loop whose body ends in break: at most one iteration reaches the defer.
func onlyFirst(names []string) int64 {
	var n int64
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return 0
		}
		defer f.Close()
		n, _ = io.Copy(io.Discard, f)
		break
	}
	return n
}

// Deliberate: all files must stay open until the merge is done; they are
// appended to a slice that outlives the iteration.
func merge(names []string, w io.Writer) error {
	var readers []io.Reader
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	_, err := io.Copy(w, io.MultiReader(readers...))
	return err
}

// The same through a wrapper local: the wrapper escapes.
func mergeBuffered(names []string) []*bufio.Reader {
	var out []*bufio.Reader
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		r := bufio.NewReader(f)
		out = append(out, r)
	}
	use(out)
	return nil
}

func use(any) {}

// Stored in a map that outlives the loop.
func openAll(names []string) {
	files := map[string]*os.File{}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		files[name] = f
	}
	use(files)
}

// Borrowed: the range variable is not acquired by the loop (closing a
// collection at function exit is deliberate).
func closeAllAtExit(files []*os.File) {
	for _, f := range files {
		defer f.Close()
	}
}

// Fields are not acquired per iteration.
type pool struct{ conns []net.Conn }

func (p *pool) drain() {
	for i := range p.conns {
		defer p.conns[i].Close()
	}
}

// Not a release: mutex unlocks, WaitGroup.Done, logging.
func notReleases(mus []*sync.Mutex, wg *sync.WaitGroup) {
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock()
		wg.Add(1)
		defer wg.Done()
		defer log.Print("done")
	}
}

// A per-item goroutine releases the body.
func fetchAll(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(u)
			if err != nil {
				return
			}
			defer resp.Body.Close()
		}()
	}
	wg.Wait()
}

// The last value is used after the loop: deliberate.
func lastOpened(names []string) *os.File {
	var f *os.File
	for _, name := range names {
		var err error
		f, err = os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
	}
	return f
}

// Sent to a consumer that outlives the iteration.
func produce(names []string, ch chan<- *os.File) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		ch <- f
	}
}

// Registered with a keeper: the store verb keeps it.
type registry struct{ open []io.Closer }

func (r *registry) Add(c io.Closer) { r.open = append(r.open, c) }

func register(r *registry, names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		r.Add(f)
	}
}

// A deferred unlock helper returned by a function is not a resource release
// (precision: lock discipline is a different bug).
func lockAll(keys []string, lock func(string) func()) {
	for _, k := range keys {
		unlock := lock(k)
		defer unlock()
	}
}

// An if/else that returns on both branches after the defer.
func eitherWay(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		if _, err := io.Copy(io.Discard, f); err != nil {
			return err
		} else {
			return nil
		}
	}
	return nil
}

// Acquired only to be held: open enough connections at once, then inspect
// the pool (database/sql's own tests do this).
func holdConnections(db *sql.DB, n int) {
	for i := 0; i < n; i++ {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			return
		}
		defer rows.Close()
	}
	use(db.Stats())
}
