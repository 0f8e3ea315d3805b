package basic

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

func bodyNeverClosed(url string) (int, error) {
	resp, err := http.Get(url) // want `response body resp.Body from http.Get is never closed; add defer resp.Body.Close\(\)`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func bodyEarlyReturn(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body resp.Body from http.Get is not closed on the path returning at line 27`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func bodyOK(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func fileLeak(name string) error {
	f, err := os.Open(name) // want `file f from os.Open is never closed`
	if err != nil {
		return err
	}
	_, err = io.ReadAll(f)
	return err
}

func fileOK(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.ReadAll(f)
	return err
}

func fileReturned(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func viaWrapper() error {
	f, err := fileReturned("x") // want `file f from basic.fileReturned is never closed`
	if err != nil {
		return err
	}
	_ = f.Name()
	return nil
}

func closeQuietly(c io.Closer) { _ = c.Close() }

func viaHelper() error {
	f, err := os.Open("x")
	if err != nil {
		return err
	}
	defer closeQuietly(f)
	return nil
}

func cancelDiscarded(ctx context.Context) {
	ctx, _ = context.WithTimeout(ctx, time.Second) // want `the cancel function returned by context.WithTimeout is discarded`
	_ = ctx
}

func cancelDiscardedDefine(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context.WithTimeout is discarded`
	return ctx.Err()
}

func cancelPath(parent context.Context, b bool) error {
	ctx, cancel := context.WithCancel(parent) // want `cancel function cancel from context.WithCancel is not called on the path returning at line 102`
	if b {
		return nil
	}
	defer cancel()
	return ctx.Err()
}

func cancelOK(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(parent)
}

func rowsLeak(db *sql.DB) error {
	rows, err := db.Query("select 1") // want `rows rows from \(\*sql.DB\).Query is not closed on the path returning at line 120`
	if err != nil {
		return err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return err
		}
	}
	return rows.Err()
}

func rowsOK(db *sql.DB) error {
	rows, err := db.Query("select 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func txLeak(db *sql.DB) error {
	tx, err := db.Begin() // want `transaction tx from \(\*sql.DB\).Begin is not committed or rolled back on the path returning at line 143`
	if err != nil {
		return err
	}
	if _, err := tx.Exec("x"); err != nil {
		return err
	}
	return tx.Commit()
}

func loopLeak(names []string) {
	for _, n := range names {
		f, err := os.Open(n) // want `file f from os.Open is not closed before the loop acquires the next one`
		if err != nil {
			continue
		}
		_ = f.Name()
	}
}

type holder struct{ f *os.File }

func stored(h *holder) error {
	f, err := os.Open("x")
	if err != nil {
		return err
	}
	h.f = f
	return nil
}

func deferredClosure() error {
	f, err := os.Open("x")
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return nil
}

func exits() {
	f, err := os.Open("x")
	if err != nil {
		return
	}
	_ = f
	os.Exit(1)
}
