// Package flow exercises the path search: early returns, loops, switch,
// select, goto, closures, named results and deferred closures.
package flow

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"testing"
	"time"
)

var errBad = errors.New("bad")

func earlyReturnStatus(url string) error {
	resp, err := http.Get(url) // want `not closed on the path returning at line 25`
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return errBad
	}
	defer resp.Body.Close()
	return nil
}

func earlyReturnTwo(name string, b, c bool) error {
	f, err := os.Open(name) // want `file f from os.Open is not closed on the path returning at line 37`
	if err != nil {
		return err
	}
	if b {
		return nil
	}
	if c {
		return errBad
	}
	return f.Close()
}

func closedOnlyInIf(name string, b bool) {
	f, err := os.Open(name) // want `not closed on the path reaching the end of the function`
	if err != nil {
		return
	}
	if b {
		f.Close()
	}
}

func loopAcquire(names []string) {
	for _, n := range names {
		f, err := os.Open(n) // want `not closed before the loop acquires the next one`
		if err != nil {
			continue
		}
		println(f.Name())
	}
}

func loopBreak(db *sql.DB) error {
	rows, err := db.Query("q") // want `rows rows from \(\*sql.DB\).Query is not closed on the path returning at line 76`
	if err != nil {
		return err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			break
		}
		if n > 10 {
			return nil
		}
	}
	return rows.Err()
}

func loopContinueLeak(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u) // want `before the loop acquires the next one`
		if err != nil {
			continue
		}
		if resp.StatusCode != 200 {
			continue
		}
		resp.Body.Close()
	}
}

func switchLeak(name string, mode int) error {
	f, err := os.Open(name) // want `not closed on the path returning at line 104`
	if err != nil {
		return err
	}
	switch mode {
	case 0:
		return f.Close()
	case 1:
		return nil
	default:
		f.Close()
	}
	return nil
}

func typeSwitchLeak(name string, v any) error {
	f, err := os.Open(name) // want `not closed on the path returning at line 118`
	if err != nil {
		return err
	}
	switch v.(type) {
	case int:
		return nil
	}
	return f.Close()
}

func selectLeak(ctx context.Context, url string, ch chan int) error {
	resp, err := http.Get(url) // want `not closed on the path returning at line 130`
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-ch:
	}
	return resp.Body.Close()
}

func gotoLeak(name string, n int) error {
	f, err := os.Open(name) // want `not closed on the path returning at line 147`
	if err != nil {
		return err
	}
again:
	n--
	if n > 0 {
		goto again
	}
	if n < -5 {
		return errBad
	}
	return f.Close()
}

func gotoOK(name string, n int) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if n > 0 {
		goto done
	}
	println(n)
done:
	return f.Close()
}

func namedResultLeak(name string) (n int, err error) {
	f, err := os.Open(name) // want `not closed on the path returning at line 171`
	if err != nil {
		return 0, err
	}
	if n, err = f.Read(nil); err != nil {
		return
	}
	return n, f.Close()
}

func namedResultDeferClosure(name string) (err error) {
	defer func() {
		if err != nil {
			err = errors.Join(err, errBad)
		}
	}()
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	_, err = f.Stat()
	return err
}

func closureNeverCalled(name string) error {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	closeIt := func() { f.Close() }
	_ = closeIt
	return nil
}

func closureUsesOnly(name string) error {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		return err
	}
	show := func() { println(f.Name()) }
	show()
	return nil
}

func deferredClosureOnSomePath(name string, b bool) error {
	f, err := os.Open(name) // want `not closed on the path returning at line 216`
	if err != nil {
		return err
	}
	if b {
		return nil
	}
	defer func() { f.Close() }()
	return nil
}

func rowsBothArms(db *sql.DB, all bool) error {
	// sqlclosecheck #11 (a false negative there): rows assigned in both arms.
	var rows *sql.Rows
	var err error
	if all {
		rows, err = db.Query("all") // want `never closed`
	} else {
		rows, err = db.Query("some") // want `never closed`
	}
	if err != nil {
		return err
	}
	return rows.Err()
}

func cancelOnSomePath(parent context.Context, b bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `not called on the path returning at line 240`
	if b {
		return errBad
	}
	defer cancel()
	return ctx.Err()
}

func cancelAssignedLater(parent context.Context) {
	var cancel context.CancelFunc
	var ctx context.Context
	ctx, cancel = context.WithCancel(parent) // want `never called`
	_ = ctx
	_ = cancel
}

func readAllLeak(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `never closed`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

func reassigned(a, b string) error {
	f, err := os.Open(a) // want `never closed`
	if err != nil {
		return err
	}
	println(f.Name())
	f, err = os.Open(b)
	if err != nil {
		return err
	}
	return f.Close()
}

func exitAfterCheck(name string, b bool) {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		log.Fatal(err)
	}
	if b {
		os.Exit(1) // fine: the process ends
	}
	println(f.Name())
}

func helperFatal(t *testing.T, name string) {
	f, err := os.Open(name) // want `never closed`
	if err != nil {
		t.Fatal(err)
	}
	println(f.Name())
}

func panicPathOnly(name string) *os.File {
	f, err := os.Open(name)
	if err != nil {
		panic(err)
	}
	return f
}

func fatalOK(name string) {
	f, err := os.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	println(f.Name())
	log.Fatalf("done %s", name)
}

func tFatalOK(t *testing.T, name string) {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() == "" {
		t.Fatalf("empty")
	}
	f.Close()
}

func exitOK(name string) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	println(f.Name())
	os.Exit(0)
}
