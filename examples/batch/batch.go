// Package batch reproduces the "cleanup stack kept across tasks" incident:
// a batch job that opens every file of a directory listing and defers each
// Close inside the loop, so descriptors pile up until the whole batch is
// done (and a large directory runs the process out of them).
package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Checksums hashes every regular file of dir.
func Checksums(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		defer f.Close() // seeded: loopdefer
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			continue
		}
		sums[e.Name()] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// CountTODOs counts TODO lines across the files of a listing.
func CountTODOs(paths []string) int {
	n := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // seeded: loopdefer
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "TODO") {
				n++
			}
		}
	}
	return n
}

// Probe fetches each URL and records its status; a response body is kept
// open per URL until the probe ends.
func Probe(urls []string) map[string]int {
	status := map[string]int{}
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			status[u] = -1
			continue
		}
		defer resp.Body.Close() // seeded: loopdefer
		io.Copy(io.Discard, resp.Body)
		status[u] = resp.StatusCode
	}
	return status
}

// Concat streams files into w and stops at the first failure: the fix's
// closing scope carries the early return out as an error.
func Concat(w io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // seeded: loopdefer (the body returns)
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
	}
	return nil
}
