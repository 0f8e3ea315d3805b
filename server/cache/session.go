package cache

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Options configure loading and analysis.
type Options struct {
	// Analyzers are the checks to run (their requirements run too).
	Analyzers []*analysis.Analyzer
	// AnalyzersKey identifies the analyzer configuration; results cached
	// under another key are not reused.
	AnalyzersKey string
	// BuildFlags are passed to go list; "-mod=readonly" is added unless a
	// -mod flag is present (or the module vendors its dependencies).
	BuildFlags []string
	// Env is added to the environment of go list.
	Env []string
	// Tests includes test files and test packages.
	Tests bool
}

func (o Options) loadOptions() loadOptions {
	return loadOptions{BuildFlags: o.BuildFlags, Env: o.Env, Tests: o.Tests}
}

func sameLoad(a, b loadOptions) bool {
	return slices.Equal(a.BuildFlags, b.BuildFlags) && slices.Equal(a.Env, b.Env) && a.Tests == b.Tests
}

// ChangeKind says how a file changed on disk.
type ChangeKind int

// Kinds of on-disk changes.
const (
	Created ChangeKind = iota + 1
	Changed
	Deleted
)

// FileChange is one file changed on disk.
type FileChange struct {
	Path string
	Kind ChangeKind
}

// Session accumulates the state the client tells the server about: the
// workspace folders, the open buffers and the options. Its methods are safe
// for concurrent use; Snapshot returns an immutable view.
type Session struct {
	mu        sync.Mutex
	folders   []string
	overlays  map[string]*File
	opts      Options
	gen       uint64
	loadEpoch uint64
	disk      *diskFiles
}

// NewSession returns an empty session.
func NewSession() *Session {
	return &Session{overlays: map[string]*File{}, disk: newDiskFiles(), opts: Options{Tests: true}}
}

// Snapshot is an immutable view of a session at one generation.
type Snapshot struct {
	Gen      uint64
	Folders  []string
	Overlays map[string]*File
	Opts     Options

	loadEpoch uint64
	disk      *diskFiles
}

// File returns the version of path in the snapshot (an overlay, or the
// file as it is now on disk).
func (s *Snapshot) File(path string) *File { return fileFor(path, s.Overlays, s.disk) }

// Disk returns the shared disk-file cache; engines built for this session
// must use it.
func (s *Session) newSnapshotLocked() *Snapshot {
	s.gen++
	ov := make(map[string]*File, len(s.overlays))
	for k, v := range s.overlays {
		ov[k] = v
	}
	return &Snapshot{Gen: s.gen, Folders: slices.Clone(s.folders), Overlays: ov, Opts: s.opts, loadEpoch: s.loadEpoch, disk: s.disk}
}

// Snapshot returns a new snapshot of the current state.
func (s *Session) Snapshot() *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newSnapshotLocked()
}

// SetFolders replaces the workspace folders.
func (s *Session) SetFolders(folders []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.folders = slices.Clone(folders)
	s.loadEpoch++
}

// Folders returns the workspace folders.
func (s *Session) Folders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.folders)
}

// SetOptions replaces the options.
func (s *Session) SetOptions(o Options) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !sameLoad(s.opts.loadOptions(), o.loadOptions()) {
		s.loadEpoch++
	}
	s.opts = o
}

// Options returns the current options.
func (s *Session) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts
}

// SetOverlay records the unsaved content of an open file.
func (s *Session) SetOverlay(path string, version int32, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overlays[path] = NewFile(path, version, content)
}

// Overlay returns the open buffer of path, if any.
func (s *Session) Overlay(path string) (*File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.overlays[path]
	return f, ok
}

// CloseOverlay forgets the buffer of path: the file on disk is used again.
func (s *Session) CloseOverlay(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.overlays, path)
	s.disk.forget(path)
}

// Saved records that path was written to disk.
func (s *Session) Saved(path string) { s.disk.forget(path) }

// FilesChanged records changes on disk.
func (s *Session) FilesChanged(changes []FileChange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range changes {
		s.disk.forget(c.Path)
		base := filepath.Base(c.Path)
		switch {
		case base == "go.mod" || base == "go.work" || base == "go.sum" || base == "go.work.sum":
			s.loadEpoch++
		case strings.HasSuffix(base, ".go") && c.Kind != Changed:
			s.loadEpoch++
		case c.Kind != Changed && !strings.Contains(base, "."):
			// A directory was created or deleted.
			s.loadEpoch++
		}
	}
}

// ReadFile returns the current content of path (overlay or disk).
func (s *Session) ReadFile(path string) *File {
	s.mu.Lock()
	f, ok := s.overlays[path]
	s.mu.Unlock()
	if ok {
		return f
	}
	return s.disk.read(path)
}
