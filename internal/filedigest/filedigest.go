// Package filedigest computes the SHA-256 digests of files' contents and
// remembers them between runs by the files' identity on disk (device,
// inode, size, modification and change times): a file whose identity is
// the one it had when it was read is not read again.
//
// A write to a file changes its change time, which no program can set
// back, so its identity changes, unless the write falls within the same
// tick of the file system's clock as the write before it. A digest is
// therefore remembered only for a file whose times were at least
// racyWindow older than the run that read it (as git does for its index):
// any later write then gives it another change time.
package filedigest

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"
)

// racyWindow is how much older than a run a file's times must be for its
// digest to be remembered.
const racyWindow = 2 * time.Second

// identity is what a file's metadata says of its content. Zero means
// unknown (the platform does not give it): nothing is remembered.
type identity struct {
	Dev, Ino     uint64
	Size         int64
	Mtime, Ctime int64 // nanoseconds since 1970
}

type record struct {
	Name string
	ID   identity
	Sum  [sha256.Size]byte
}

// Memo is the digests remembered from an earlier run and those of this
// run. Its methods may be called concurrently.
type Memo struct {
	start time.Time
	mu    sync.Mutex
	old   map[string]record
	now   map[string]record
	// read reads a file (os.ReadFile; tests count the reads).
	read func(string) ([]byte, error)
}

// New returns a memo holding what Encode wrote (nothing when data is nil
// or does not decode: every file is then read). Files are judged against
// start, the time the run began.
func New(data []byte, start time.Time) *Memo {
	m := &Memo{start: start, old: map[string]record{}, now: map[string]record{}, read: os.ReadFile}
	if data == nil {
		return m
	}
	var recs []record
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&recs) != nil {
		return m
	}
	for _, r := range recs {
		m.old[r.Name] = r
	}
	return m
}

// Sum returns the digest of the content of the file name: the remembered
// one (from an earlier run, or from this one: a guess and the run after it
// ask for the same files) when the file's identity is the one it had when
// it was read, or that of its content, read now.
func (m *Memo) Sum(name string) ([sha256.Size]byte, error) {
	id := identify(name)
	if id != (identity{}) {
		m.mu.Lock()
		r, ok := m.now[name]
		if !ok || r.ID != id {
			r, ok = m.old[name]
		}
		ok = ok && r.ID == id
		if ok {
			m.now[name] = r
		}
		m.mu.Unlock()
		if ok {
			return r.Sum, nil
		}
	}
	data, err := m.read(name)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	sum := sha256.Sum256(data)
	if id != (identity{}) && identify(name) == id && m.settled(id) {
		m.mu.Lock()
		m.now[name] = record{Name: name, ID: id, Sum: sum}
		m.mu.Unlock()
	}
	return sum, nil
}

// settled reports whether a file's times are old enough for a later write
// to change its identity.
func (m *Memo) settled(id identity) bool {
	limit := m.start.Add(-racyWindow).UnixNano()
	return id.Mtime < limit && id.Ctime < limit
}

// Encode returns the digests this run used, to be given to New by a later
// run, and whether they differ from those New was given.
func (m *Memo) Encode() ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	changed := len(m.now) != len(m.old)
	recs := make([]record, 0, len(m.now))
	for name, r := range m.now {
		if !changed && m.old[name] != r {
			changed = true
		}
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Name < recs[j].Name })
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(recs); err != nil {
		return nil, false, fmt.Errorf("encoding file digests: %w", err)
	}
	return buf.Bytes(), changed, nil
}
