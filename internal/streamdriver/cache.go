package streamdriver

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/findingkey"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
)

// Cache is a directory of analysis results, one file per package and
// analyzer set, named by the hash of everything that decides them. Files
// are written to a temporary name and renamed into place, so concurrent
// runs never read a partial entry. A nil *Cache caches nothing.
type Cache struct {
	dir  string
	salt string // identifies the analyzers' code
}

// DefaultDir is where results are cached unless told otherwise:
// lifecycle-lsp/results under os.UserCacheDir().
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory: %w", err)
	}
	return filepath.Join(base, "lifecycle-lsp", "results"), nil
}

// Entries not used for maxAge are removed, at most once per trimEvery.
const (
	maxAge    = 5 * 24 * time.Hour
	trimEvery = 24 * time.Hour
	// touchAfter is how old an entry's modification time may get before
	// a use refreshes it.
	touchAfter = time.Hour
)

// OpenCache opens (creating it if needed) the cache in dir. salt must
// change whenever the analyzers' code changes; ExecutableSalt gives one.
// Once a day it removes the entries no run used for five days.
func OpenCache(dir, salt string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("opening the result cache: %w", err)
	}
	c := &Cache{dir: dir, salt: salt}
	c.trim(time.Now())
	return c, nil
}

// trim removes old entries (and temporary files left by killed runs)
// when the last trim is older than trimEvery. Failures are ignored: they
// cost disk space only.
func (c *Cache) trim(now time.Time) {
	marker := filepath.Join(c.dir, "trimmed")
	if st, err := os.Stat(marker); err == nil && now.Sub(st.ModTime()) < trimEvery {
		return
	}
	filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == marker {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return nil
		}
		age := now.Sub(st.ModTime())
		if age > maxAge || (strings.Contains(d.Name(), ".tmp") && age > touchAfter) {
			os.Remove(path)
		}
		return nil
	})
	os.WriteFile(marker, nil, 0o666)
	os.Chtimes(marker, now, now)
}

// ExecutableSalt returns a digest of the running executable, so that a
// rebuilt binary (changed analyzers) never reads another build's results.
func ExecutableSalt() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the executable: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("reading the executable: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading the executable: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *Cache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key)
}

func (c *Cache) get(key string) ([]byte, bool) {
	if c == nil || key == "" {
		return nil, false
	}
	name := c.file(key)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	if st, err := os.Stat(name); err == nil && time.Since(st.ModTime()) > touchAfter {
		now := time.Now()
		os.Chtimes(name, now, now) // still in use: keep it
	}
	return data, true
}

// put stores data under key; failures only cost a later recomputation.
func (c *Cache) put(key string, data []byte) {
	if c == nil || key == "" || data == nil {
		return
	}
	name := c.file(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), key+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}

// key digests what decides a package's results: the code of the
// analyzers, the configuration, which analyzers run, the package's
// metadata and file contents, and its dependencies' keys (so a change
// anywhere below a package changes its key).
func (r *run) key(n *node, analyzers []*analysis.Analyzer) string {
	if r.opts.Cache == nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "salt %s\nconfig %q\nroot %v\n", r.opts.Cache.salt, r.opts.Config, n.root)
	for _, a := range analyzers {
		fmt.Fprintf(h, "analyzer %s\n", a.Name)
	}
	p := n.pkg
	fmt.Fprintf(h, "id %q path %q name %q\n", p.ID, p.PkgPath, p.Name)
	if p.Module != nil {
		fmt.Fprintf(h, "module %q %q %q\n", p.Module.Path, p.Module.Version, p.Module.GoVersion)
	}
	fmt.Fprintf(h, "sizes %v\n", p.TypesSizes)
	for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles, p.IgnoredFiles} {
		fmt.Fprintf(h, "files %d\n", len(list))
		for _, name := range list {
			sum, err := r.digest(name)
			if err != nil {
				return "" // not cacheable; the run reports the error
			}
			// As fmt's "%q %x\n", without its cost for every file.
			io.WriteString(h, strconv.Quote(name)+" "+hex.EncodeToString(sum[:])+"\n")
		}
	}
	for _, dep := range n.imports {
		if dep.key == "" && dep.pkg.PkgPath != "unsafe" {
			return ""
		}
		fmt.Fprintf(h, "dep %q %s\n", dep.pkg.ID, dep.key)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// digest returns the SHA-256 of a file's content, computed once per run (a
// package lists most files twice, GoFiles and CompiledGoFiles, and its
// test variants list them again), and taken from Options.Digests when the
// file is unchanged since a run that read it.
func (r *run) digest(name string) ([sha256.Size]byte, error) {
	r.digestsMu.Lock()
	sum, ok := r.digests[name]
	r.digestsMu.Unlock()
	if ok {
		return sum, nil
	}
	if _, overlaid := r.opts.Overlay[name]; overlaid || r.opts.Digests == nil {
		src, err := r.content(name)
		if err != nil {
			return sum, err
		}
		sum = sha256.Sum256(src)
	} else {
		var err error
		if sum, err = r.opts.Digests.Sum(name); err != nil {
			return sum, err
		}
	}
	r.digestsMu.Lock()
	r.digests[name] = sum
	r.digestsMu.Unlock()
	return sum, nil
}

// factRecord describes one fact of a cache entry.
type factRecord struct {
	Path string // objectpath; empty for a package fact
	Type string // the fact's type, see factTypeName
	Data bool   // the fact's value follows in the stream (types without fields have none)
}

type position struct {
	File   string // "" for token.NoPos
	Offset int
}

type diagRecord struct {
	Analyzer string
	Pos, End position
	// Enclosing names the top-level declaration Pos is in
	// (findingkey.EnclosingIn).
	Enclosing string
	Category  string
	URL       string
	Message   string
	Related   []relatedRecord
	Fixes     []fixRecord
}

type relatedRecord struct {
	Pos, End position
	Message  string
}

type fixRecord struct {
	Message string
	Edits   []editRecord
}

type editRecord struct {
	Pos, End position
	NewText  []byte
}

func factTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() + "." + t.Name()
}

// encodeEntry serializes an analysis result of a package with the given
// syntax; nil when it cannot be (a fact that gob does not encode).
func encodeEntry(fset *token.FileSet, files []*ast.File, res driver.Result) []byte {
	type item struct {
		rec  factRecord
		fact analysis.Fact
	}
	var items []item
	res.Facts.Each(func(path objectpath.Path, fact analysis.Fact) {
		t := reflect.TypeOf(fact)
		items = append(items, item{factRecord{Path: string(path), Type: factTypeName(t), Data: t.Elem().NumField() > 0}, fact})
	})
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i].rec, items[j].rec
		return a.Path < b.Path || a.Path == b.Path && a.Type < b.Type
	})
	// One gob stream: the records, then the values of the facts that
	// have fields, in order (each type is described once).
	var facts bytes.Buffer
	enc := gob.NewEncoder(&facts)
	recs := make([]factRecord, len(items))
	for i, it := range items {
		recs[i] = it.rec
	}
	if err := enc.Encode(recs); err != nil {
		return nil
	}
	for _, it := range items {
		if it.rec.Data {
			if err := enc.Encode(it.fact); err != nil {
				return nil
			}
		}
	}
	var diagRecs []diagRecord
	var failed bool
	pos := func(p token.Pos) position {
		if !p.IsValid() {
			return position{}
		}
		f := fset.File(p)
		if f == nil {
			failed = true
			return position{}
		}
		return position{File: f.Name(), Offset: f.Offset(p)}
	}
	for _, d := range res.Diagnostics {
		rec := diagRecord{Analyzer: d.Analyzer.Name, Pos: pos(d.Pos), End: pos(d.End), Category: d.Category, URL: d.URL, Message: d.Message,
			Enclosing: findingkey.EnclosingIn(files, d.Pos)}
		for _, rel := range d.Related {
			rec.Related = append(rec.Related, relatedRecord{Pos: pos(rel.Pos), End: pos(rel.End), Message: rel.Message})
		}
		for _, fix := range d.SuggestedFixes {
			fr := fixRecord{Message: fix.Message}
			for _, ed := range fix.TextEdits {
				fr.Edits = append(fr.Edits, editRecord{Pos: pos(ed.Pos), End: pos(ed.End), NewText: ed.NewText})
			}
			rec.Fixes = append(rec.Fixes, fr)
		}
		diagRecs = append(diagRecs, rec)
	}
	if failed {
		return nil
	}
	var diags bytes.Buffer
	if len(diagRecs) > 0 {
		if err := gob.NewEncoder(&diags).Encode(diagRecs); err != nil {
			return nil
		}
	}
	return joinEntry(facts.Bytes(), diags.Bytes())
}

// An entry file holds the SHA-256 of the rest, the length of the facts
// section as a uvarint, the facts section (a gob stream of []factRecord
// followed by the values of the facts that have fields) and the
// diagnostics section (a gob of []diagRecord, empty when there are none).
// The sections are decoded only when needed: a warm run decodes the facts
// of a package only when a package analysed again imports them, and the
// diagnostics of roots that have some.

// joinEntry lays out an entry file.
func joinEntry(facts, diags []byte) []byte {
	body := binary.AppendUvarint(nil, uint64(len(facts)))
	body = append(body, facts...)
	body = append(body, diags...)
	sum := sha256.Sum256(body)
	return append(sum[:], body...)
}

// splitEntry checks an entry file's digest and returns its sections.
func splitEntry(data []byte) (facts, diags []byte, ok bool) {
	if len(data) < sha256.Size {
		return nil, nil, false
	}
	body := data[sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[:sha256.Size]) {
		return nil, nil, false
	}
	n, k := binary.Uvarint(body)
	if k <= 0 || n > uint64(len(body)-k) {
		return nil, nil, false
	}
	return body[k : k+int(n)], body[k+int(n):], true
}

// fromCache takes a package's results from a cache entry: its facts
// (decoded when a dependant asks for them) and, for a root, its
// diagnostics (its files are parsed for the visitor when it has some; the
// package is not type-checked). It reports false when the entry cannot be
// used, and the package is then analysed.
func (r *run) fromCache(n *node, data []byte) bool {
	factData, diagData, ok := splitEntry(data)
	if !ok {
		return false
	}
	if n.root && len(diagData) > 0 {
		diags, enclosing, files, ok := r.cachedDiagnostics(n, diagData)
		if !ok {
			return false
		}
		n.setCachedFacts(factData)
		n.pkg.Syntax, n.pkg.Fset = files, r.fset
		r.handOverCached(n, diags, enclosing)
		n.pkg.Syntax = nil
		return true
	}
	n.setCachedFacts(factData)
	if n.root {
		// Nothing to report: no need for the syntax.
		n.pkg.Fset = r.fset
		r.handOverCached(n, nil, nil)
	}
	return true
}

// decodeFacts decodes the facts section of an entry.
func (r *run) decodeFacts(data []byte) (*driver.Facts, error) {
	dec := gob.NewDecoder(bytes.NewReader(data))
	var recs []factRecord
	if err := dec.Decode(&recs); err != nil {
		return nil, err
	}
	facts := driver.NewFacts()
	for _, rec := range recs {
		t, ok := r.factTypes()[rec.Type]
		if !ok {
			return nil, fmt.Errorf("unknown fact type %s", rec.Type)
		}
		fact := reflect.New(t.Elem()).Interface().(analysis.Fact)
		if rec.Data {
			if err := dec.Decode(fact); err != nil {
				return nil, fmt.Errorf("fact %s of %s: %w", rec.Type, rec.Path, err)
			}
		}
		facts.Add(objectpath.Path(rec.Path), fact)
	}
	return facts, nil
}

// cachedDiagnostics decodes a root's cached diagnostics and the names of
// the declarations they are in, giving the files they point into their
// lines (parsing those whose //line directives move positions).
func (r *run) cachedDiagnostics(n *node, data []byte) ([]driver.Diagnostic, map[token.Pos]string, []*ast.File, bool) {
	var recs []diagRecord
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&recs); err != nil {
		return nil, nil, nil, false
	}
	// Files where diagnostics, related information or fixes point only
	// need their lines known, unless //line directives move their
	// positions; the rest are not read.
	pointed := map[string]bool{}
	for _, rec := range recs {
		pointed[rec.Pos.File] = true
		pointed[rec.End.File] = true
		for _, rel := range rec.Related {
			pointed[rel.Pos.File], pointed[rel.End.File] = true, true
		}
		for _, fix := range rec.Fixes {
			for _, ed := range fix.Edits {
				pointed[ed.Pos.File], pointed[ed.End.File] = true, true
			}
		}
	}
	own := map[string]*token.File{}
	var files []*ast.File
	for _, name := range n.pkg.CompiledGoFiles {
		if !pointed[name] {
			continue
		}
		src, err := r.content(name)
		if err != nil {
			return nil, nil, nil, false
		}
		if !bytes.Contains(src, []byte("//line ")) && !bytes.Contains(src, []byte("/*line ")) {
			tf := r.fset.AddFile(name, -1, len(src))
			tf.SetLinesForContent(src)
			own[name] = tf
			continue
		}
		f, err := parser.ParseFile(r.fset, name, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, nil, false
		}
		files = append(files, f)
		own[name] = r.fset.File(f.FileStart)
	}
	var failed bool
	pos := func(p position) token.Pos {
		if p.File == "" {
			return token.NoPos
		}
		f := own[p.File]
		if f == nil {
			f = r.otherFile(p.File)
		}
		if f == nil || p.Offset > f.Size() {
			failed = true
			return token.NoPos
		}
		return f.Pos(p.Offset)
	}
	byName := map[string]*analysis.Analyzer{}
	for _, a := range r.analyzers {
		byName[a.Name] = a
	}
	var diags []driver.Diagnostic
	enclosing := map[token.Pos]string{}
	for _, rec := range recs {
		a := byName[rec.Analyzer]
		if a == nil {
			return nil, nil, nil, false
		}
		d := analysis.Diagnostic{Pos: pos(rec.Pos), End: pos(rec.End), Category: rec.Category, URL: rec.URL, Message: rec.Message}
		enclosing[d.Pos] = rec.Enclosing
		for _, rel := range rec.Related {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos(rel.Pos), End: pos(rel.End), Message: rel.Message})
		}
		for _, fr := range rec.Fixes {
			fix := analysis.SuggestedFix{Message: fr.Message}
			for _, ed := range fr.Edits {
				fix.TextEdits = append(fix.TextEdits, analysis.TextEdit{Pos: pos(ed.Pos), End: pos(ed.End), NewText: ed.NewText})
			}
			d.SuggestedFixes = append(d.SuggestedFixes, fix)
		}
		diags = append(diags, driver.Diagnostic{Analyzer: a, Diagnostic: d})
	}
	if failed {
		return nil, nil, nil, false
	}
	return diags, enclosing, files, true
}

// otherFile returns a token.File for a file outside the package a cached
// diagnostic points into (related information in a dependency), adding it
// to the file set once.
func (r *run) otherFile(name string) *token.File {
	r.othersMu.Lock()
	defer r.othersMu.Unlock()
	if f, ok := r.others[name]; ok {
		return f
	}
	src, err := r.content(name)
	if err != nil {
		r.others[name] = nil
		return nil
	}
	f := r.fset.AddFile(name, -1, len(src))
	f.SetLinesForContent(src)
	r.others[name] = f
	return f
}

// factTypes maps factTypeName to the fact types of the analyzers.
func (r *run) factTypes() map[string]reflect.Type {
	r.factTypesOnce.Do(func() {
		r.factTypesByName = map[string]reflect.Type{}
		for _, a := range closure(r.analyzers) {
			for _, f := range a.FactTypes {
				t := reflect.TypeOf(f)
				r.factTypesByName[factTypeName(t)] = t
			}
		}
	})
	return r.factTypesByName
}

// Salt returns the salt the cache was opened with (see OpenCache).
func (c *Cache) Salt() string { return c.salt }

// Get returns the data stored under key by Put, by this or another
// process: the language server keeps its own entries in the same cache.
func (c *Cache) Get(key string) ([]byte, bool) { return c.get(key) }

// Put stores data under key (atomically: readers see all of it or
// nothing); a failure only costs a later recomputation.
func (c *Cache) Put(key string, data []byte) { c.put(key, data) }

// Clean removes every cached result.
func (c *Cache) Clean() error {
	if c == nil {
		return nil
	}
	if err := os.RemoveAll(c.dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cleaning the result cache: %w", err)
	}
	return nil
}
