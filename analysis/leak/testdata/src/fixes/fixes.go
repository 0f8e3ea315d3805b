package fixes

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func body(url string) (int, error) {
	resp, err := http.Get(url) // want `never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func file(name string) error {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	_, err = f.Stat()
	return err
}

func rows(db *sql.DB) error {
	rows, err := db.Query("q") // want `never closed`
	if err != nil {
		return err
	}
	return rows.Err()
}

func tx(db *sql.DB) error {
	tx, err := db.Begin() // want `not committed or rolled back`
	if err != nil {
		return err
	}
	if _, err := tx.Exec("x"); err != nil {
		return err
	}
	return tx.Commit()
}

func cancelUnderscore(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `discarded`
	return ctx.Err()
}

func cancelNameTaken(parent context.Context, cancel func()) error {
	ctx, _ := context.WithCancel(parent) // want `discarded`
	cancel()
	return ctx.Err()
}

func noError() string {
	ctx, cancel := context.WithCancel(context.Background()) // want `never called`
	_ = cancel
	return ctx.Err().Error()
}

func moveUp(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `not closed on the path`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, nil
	}
	defer resp.Body.Close()
	return nil, nil
}

func signals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt) // want `never stopped`
	<-ch
}

// A discarded response whose error is returned unchecked: named and closed
// at once where the request succeeded.
func discardedBody(c *http.Client, u string) error {
	_, err := c.Get(u) // want `the response body returned by \(\*http.Client\).Get is discarded`
	return err
}

type tester struct{ c *http.Client }

func (t *tester) get(u string) *http.Response {
	resp, err := t.c.Get(u)
	if err != nil {
		return nil
	}
	return resp
}

// Results dropped by a call statement: bound in an if statement and
// released where the call succeeded.
func droppedResults(t *tester, c *http.Client, u string) {
	t.get(u) // want `the response body returned by \(\*fixes.tester\).get is discarded`
	c.Get(u) // want `the response body returned by \(\*http.Client\).Get is discarded`
}

// A call statement dropping its results as the whole body of a one-line
// function literal: the body is opened up so the if statement gets lines
// of its own. With another statement on that line there is no fix.
func droppedInLiteral(c *http.Client, u string, g func()) {
	run(func() { c.Get(u) }) // want `the response body returned by \(\*http.Client\).Get is discarded`

	run(func() { c.Get(u); g() }) // want `the response body returned by \(\*http.Client\).Get is discarded`
}

func run(f func()) { f() }
