// Package streams moves data between connections, files and HTTP bodies.
// It reproduces the incident of DESIGN §1.4: a scope exited in a different
// task than the one that entered it — a resource released by one goroutine
// while another still uses it, and fire-and-forget cleanup.
package streams

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
)

// Download copies a response body to dst. A logging goroutine "tidies up"
// by closing the body, racing the copy that is still reading it: downloads
// come out truncated under load.
func Download(url string, dst io.Writer) (int64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	go func() {
		log.Printf("downloading %s (%d bytes)", url, resp.ContentLength)
		resp.Body.Close()
	}()
	return io.Copy(dst, resp.Body)
}

// Ping checks that url answers 200. It closes the body in a goroutine
// nobody waits for.
func Ping(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("ping %s: %s", url, resp.Status)
	}
	return nil
}

// Serve streams a file to w in the background. The deferred Close runs as
// soon as Serve returns, while the copying goroutine is still reading.
func Serve(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	go func() {
		if _, err := io.Copy(w, f); err != nil {
			log.Printf("streaming %s: %v", path, err)
		}
	}()
	return nil
}
