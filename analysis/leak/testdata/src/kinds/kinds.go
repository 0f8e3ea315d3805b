// Package kinds has one leak per resource kind, and its released twin.
package kinds

import (
	"context"
	"database/sql"
	"iter"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"time"

	"helpers"
)

func body(c *http.Client, url string) error {
	resp, err := c.Get(url) // want `response body resp.Body from \(\*http.Client\).Get is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

func bodyDo(c *http.Client, req *http.Request) int {
	resp, err := c.Do(req) // want `response body resp.Body from \(\*http.Client\).Do is never closed`
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

func bodyPost(url string) error {
	resp, err := http.Post(url, "text/plain", nil) // want `never closed`
	if err != nil {
		return err
	}
	println(resp.Status)
	return nil
}

func bodyHead(url string) {
	resp, err := http.Head(url) // want `never closed`
	if err == nil {
		println(resp.Status)
	}
}

func bodyDiscarded(url string) {
	http.Get(url) // want `the response body returned by http.Get is discarded`
}

func bodyRoundTrip(rt http.RoundTripper, req *http.Request) error {
	resp, err := rt.RoundTrip(req) // want `never closed`
	if err != nil {
		return err
	}
	println(resp.Status)
	return nil
}

func rows(db *sql.DB) error {
	rows, err := db.Query("select 1") // want `rows rows from \(\*sql.DB\).Query is never closed`
	if err != nil {
		return err
	}
	return rows.Err()
}

func rowsContext(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "select 1") // want `never closed`
	if err != nil {
		return 0, err
	}
	cols, _ := rows.Columns()
	return len(cols), nil
}

func rowsTx(tx *sql.Tx) error {
	rows, err := tx.Query("select 1") // want `never closed`
	if err != nil {
		return err
	}
	_, err = rows.Columns()
	return err
}

func stmt(db *sql.DB) error {
	st, err := db.Prepare("insert") // want `statement st from \(\*sql.DB\).Prepare is never closed`
	if err != nil {
		return err
	}
	_, err = st.Exec()
	return err
}

func conn(ctx context.Context, db *sql.DB) error {
	c, err := db.Conn(ctx) // want `database connection c from \(\*sql.DB\).Conn is never closed`
	if err != nil {
		return err
	}
	return c.PingContext(ctx)
}

func tx(db *sql.DB) error {
	tx, err := db.Begin() // want `transaction tx from \(\*sql.DB\).Begin is not committed or rolled back on the path returning at line 114`
	if err != nil {
		return err
	}
	if _, err := tx.Exec("x"); err != nil {
		return err
	}
	return tx.Commit()
}

func txNever(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction tx from \(\*sql.DB\).BeginTx is never committed or rolled back`
	if err != nil {
		return err
	}
	_, err = tx.Exec("x")
	return err
}

func database(dsn string) error {
	db, err := sql.Open("pg", dsn) // want `database handle db from sql.Open is never closed`
	if err != nil {
		return err
	}
	return db.Ping()
}

func file(name string) error {
	f, err := os.Open(name) // want `file f from os.Open is never closed`
	if err != nil {
		return err
	}
	_, err = f.Stat()
	return err
}

func fileCreate(name string) error {
	f, err := os.Create(name) // want `file f from os.Create is never closed`
	if err != nil {
		return err
	}
	_, err = f.WriteString("x")
	return err
}

func fileOpenFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0) // want `never closed`
	if err != nil {
		return err
	}
	return f.Sync()
}

func fileTemp() (string, error) {
	f, err := os.CreateTemp("", "x") // want `never closed`
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}

func pipe() error {
	r, w, err := os.Pipe() // want `file r from os.Pipe is never closed` `file w from os.Pipe is never closed`
	if err != nil {
		return err
	}
	_, _ = w, r
	return nil
}

func netConn(addr string) error {
	c, err := net.Dial("tcp", addr) // want `connection c from net.Dial is never closed`
	if err != nil {
		return err
	}
	_, err = c.Write([]byte("x"))
	return err
}

func netConnTimeout(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second) // want `never closed`
	if err != nil {
		return err
	}
	return c.SetDeadline(time.Now())
}

func accept(l net.Listener) error {
	c, err := l.Accept() // want `connection c from Accept is never closed`
	if err != nil {
		return err
	}
	println(c.RemoteAddr().String())
	return nil
}

func listener() error {
	l, err := net.Listen("tcp", ":0") // want `listener l from net.Listen is never closed`
	if err != nil {
		return err
	}
	println(l.Addr().String())
	return nil
}

func testServer(h http.Handler) string {
	srv := httptest.NewServer(h) // want `test server srv from httptest.NewServer is never closed`
	return srv.URL + "/x"
}

func cancelNeverCalled(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want `cancel function cancel from context.WithCancel is never called`
	_ = cancel
	return ctx.Err()
}

func cancelUnderscore(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context.WithTimeout is discarded`
	return ctx.Err()
}

func cancelDeadline(parent context.Context) error {
	ctx, _ := context.WithDeadline(parent, time.Now()) // want `discarded`
	return ctx.Err()
}

func cancelCause(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent) // want `never called`
	_ = cancel
	return ctx.Err()
}

func notifyContext(parent context.Context) error {
	ctx, _ := signal.NotifyContext(parent, os.Interrupt) // want `the stop function returned by signal.NotifyContext is discarded`
	return ctx.Err()
}

func notify() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt) // want `signal registration ch from signal.Notify is never stopped`
	<-ch
}

func pull(seq iter.Seq[int]) int {
	next, stop := iter.Pull(seq) // want `stop function stop from iter.Pull is never called`
	_ = stop
	v, _ := next()
	return v
}

func pullDiscarded(seq iter.Seq[int]) int {
	next, _ := iter.Pull(seq) // want `the stop function returned by iter.Pull is discarded`
	v, _ := next()
	return v
}

func command() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // want `started command cmd from \(\*exec.Cmd\).Start is never waited for`
		return err
	}
	return nil
}

func genericCloser() error {
	c, err := helpers.NewConn() // want `closer c from helpers.NewConn is never closed`
	if err != nil {
		return err
	}
	_, err = c.Read(nil)
	return err
}

func wrapperFile() error {
	f, err := helpers.OpenConfig() // want `file f from helpers.OpenConfig is never closed`
	if err != nil {
		return err
	}
	println(helpers.Name(f))
	return nil
}

func wrapperBody(url string) error {
	resp, err := helpers.Fetch(url) // want `response body resp.Body from helpers.Fetch is never closed`
	if err != nil {
		return err
	}
	println(resp.Status)
	return nil
}

// Released twins: silent.

func bodyOK(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func txOK(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("x"); err != nil {
		return err
	}
	return tx.Commit()
}

func notifyOK() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	defer signal.Stop(ch)
	<-ch
}

func pullOK(seq iter.Seq[int]) int {
	next, stop := iter.Pull(seq)
	defer stop()
	v, _ := next()
	return v
}

func commandOK() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

func testServerOK(h http.Handler) string {
	srv := httptest.NewServer(h)
	defer srv.Close()
	return srv.URL
}
