package cache

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sync"

	"github.com/lifecycle-lsp/lifecycle-lsp/server/partial"
)

// parseCache keeps the syntax trees of workspace files between runs, keyed
// by path and content, so an edit re-parses only the file that changed.
// Every tree is parsed into one long-lived FileSet, which gives each file a
// position range of its own: a check's FileSet is then assembled from the
// token.Files of the trees it uses.
type parseCache struct {
	fset *token.FileSet

	mu      sync.Mutex
	entries map[parseKey]*parsed
}

type parseKey struct {
	path string
	hash Hash
}

// parsed is one file's syntax tree, computed once.
type parsed struct {
	once sync.Once
	file *ast.File
	tok  *token.File
	err  error
	// emptied lists the offsets of the functions whose bodies were
	// emptied to make the file parse (see partial.Repair).
	emptied []int
	used    bool
}

func newParseCache(fset *token.FileSet) *parseCache {
	return &parseCache{fset: fset, entries: map[parseKey]*parsed{}}
}

// parse returns the syntax tree of f, its token.File and the parse error.
// When f has syntax errors, the tree is that of f with the broken
// declarations neutralised (same positions; emptied lists the functions
// whose bodies were dropped), or the parser's partial tree when that fails;
// it is nil when nothing could be parsed.
func (c *parseCache) parse(f *File) (file *ast.File, tok *token.File, emptied []int, err error) {
	key := parseKey{f.Path, f.Hash}
	c.mu.Lock()
	p := c.entries[key]
	if p == nil {
		p = &parsed{}
		c.entries[key] = p
	}
	p.used = true
	c.mu.Unlock()
	p.once.Do(func() {
		p.file, p.err = parser.ParseFile(c.fset, f.Path, f.Content, parser.ParseComments)
		if p.err != nil {
			if fixed, emptied, ok := partial.Repair(f.Path, f.Content); ok {
				if p.file != nil {
					c.fset.RemoveFile(c.fset.File(p.file.FileStart))
				}
				p.emptied = emptied
				p.file, _ = parser.ParseFile(c.fset, f.Path, fixed, parser.ParseComments)
			}
		}
		if p.file != nil {
			p.tok = c.fset.File(p.file.FileStart)
		}
	})
	return p.file, p.tok, p.emptied, p.err
}

// collect drops the trees the last complete run did not use and removes
// their files from the shared FileSet.
func (c *parseCache) collect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, p := range c.entries {
		if !p.used {
			delete(c.entries, k)
			if p.tok != nil {
				c.fset.RemoveFile(p.tok)
			}
		}
		p.used = false
	}
}
