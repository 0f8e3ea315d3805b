package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/partial"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/settings"
)

// diagnostics is the record of what was published per file, with the
// fixes of each diagnostic kept server-side for code actions.
type diagnostics struct {
	s *Server

	mu        sync.Mutex
	files     map[string]*fileDiags
	errLogged map[string]string
	// progressFor is the metadata whose first complete analysis is
	// still being reported as progress.
	analysed *cache.Metadata
}

// fileDiags is the last publication for one file.
type fileDiags struct {
	version int32
	hash    string
	mapper  *lspfix.Mapper
	items   []storedDiag
	// interim is set when the items were carried over an edit rather
	// than computed on this version (see afterEdit); they have no fixes.
	interim bool
	// text, when set, is the document content the items' ranges refer
	// to, the edits since the publication having moved none of them.
	text []byte
}

// storedDiag is a published diagnostic and its fixes.
type storedDiag struct {
	pd    protocol.Diagnostic
	fixes []cache.Fix
}

func newDiagnostics(s *Server) *diagnostics {
	return &diagnostics{s: s, files: map[string]*fileDiags{}, errLogged: map[string]string{}}
}

// firstTime reports whether msg differs from the last message recorded for
// the package id under kind, and records it.
func (d *diagnostics) firstTime(id, kind, msg string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := kind + " " + id
	if d.errLogged[key] == msg {
		return false
	}
	d.errLogged[key] = msg
	return true
}

// lookup returns the last publication for path.
func (d *diagnostics) lookup(path string) (*fileDiags, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f, ok := d.files[path]
	return f, ok
}

// runSink receives one run's results and publishes them while the run is
// current.
type runSink struct {
	s   *Server
	ctx context.Context
	gen uint64
	set settings.Settings

	mu       sync.Mutex
	seen     map[string]bool
	md       *cache.Metadata
	progress *progress
}

func newRunSink(s *Server, ctx context.Context, gen uint64) *runSink {
	return &runSink{s: s, ctx: ctx, gen: gen, set: s.currentSettings(), seen: map[string]bool{}}
}

// Loaded implements cache.Sink.
func (k *runSink) Loaded(md *cache.Metadata) {
	k.mu.Lock()
	k.md = md
	k.mu.Unlock()
	// Folder problems: one message each, shown once.
	keep := map[string]bool{}
	for _, is := range md.Issues {
		keep[is.Message] = true
		typ := protocol.MessageTypeError
		if is.Kind == cache.IssueNotModule {
			typ = protocol.MessageTypeWarning
		}
		k.s.showOnce(typ, is.Message)
	}
	k.s.forgetShown(keep)
	d := k.s.diags
	d.mu.Lock()
	first := d.analysed != md
	d.mu.Unlock()
	if first && len(md.Workspace) > 0 {
		k.progress = k.s.beginProgress("lifecycle: analysing the workspace", fmt.Sprintf("%d packages", len(md.Workspace)))
	}
}

// Progress implements cache.Sink.
func (k *runSink) Progress(done, total int) {
	if k.progress != nil {
		k.progress.report(done, total)
	}
}

// Logf implements cache.Sink.
func (k *runSink) Logf(format string, args ...any) { k.s.logf(format, args...) }

// Package implements cache.Sink.
func (k *runSink) Package(r cache.PackageResult) {
	d := k.s.diags
	if len(r.Errors) > 0 {
		// Logged once per distinct set of failures: a panic's stack
		// trace changes from run to run, its first line does not.
		var heads []string
		for _, e := range r.Errors {
			head, _, _ := strings.Cut(e, "\n")
			heads = append(heads, head)
		}
		if d.firstTime(r.ID, "errors", strings.Join(heads, "\n")) {
			k.s.logf("package %s: %s", r.ID, strings.Join(r.Errors, "\n"))
		}
	}
	if len(r.Skipped) > 0 && d.firstTime(r.ID, "skipped", strings.Join(r.Skipped, ",")+"|"+r.SkipReason) {
		k.s.logf("package %s: not analysing %s until it parses and type-checks (%s)", r.ID, strings.Join(r.Skipped, ", "), r.SkipReason)
	}
	for _, imp := range r.UnresolvedImports {
		why := "it cannot be resolved"
		for _, e := range r.Errors {
			if strings.Contains(e, imp) && strings.HasPrefix(e, "go list: ") {
				why = strings.TrimPrefix(e, "go list: ")
				break
			}
		}
		k.s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("lifecycle-lsp: package %s imports %s, which cannot be loaded (%s); the functions that use it are not analysed", r.ID, imp, why))
	}
	byFile := map[string][]cache.Diagnostic{}
	gen := generatedFiles{s: k.s, known: map[string]bool{}}
	for _, diag := range r.Diagnostics {
		if !k.set.Keeps(diag.Check, diag.File) {
			continue // excluded or turned off for this path by .lifecycle.yaml
		}
		if !k.set.GeneratedEnabled() {
			if gen.is(diag.File) {
				continue
			}
			diag.Fixes = gen.withoutGenerated(diag.Fixes)
		}
		byFile[diag.File] = append(byFile[diag.File], diag)
	}
	for _, f := range r.Files {
		k.mu.Lock()
		k.seen[f.Path] = true
		k.mu.Unlock()
		if f.Err != nil {
			continue
		}
		diags, skipped := byFile[f.Path], spansIn(r.SkippedSpans, f.Path)
		if k.set.Scope() == settings.ScopeOpenFiles && f.Version == 0 || k.s.isDesynced(f.Path) {
			diags, skipped = nil, nil
		}
		k.publishFile(f, diags, skipped)
	}
}

// spansIn returns the spans in file path.
func spansIn(spans []partial.Span, path string) []partial.Span {
	var out []partial.Span
	for _, sp := range spans {
		if sp.File == path {
			out = append(out, sp)
		}
	}
	return out
}

// heldOver returns the diagnostics last published for f that lie in
// declarations this analysis left out (skipped: they do not parse or
// type-check while the user is editing them). They stay on screen,
// without fixes, until the declaration can be analysed again, rather than
// vanishing on every keystroke. Only a record of the same text qualifies:
// its ranges are then valid in f.
func (k *runSink) heldOver(f *cache.File, skipped []partial.Span) []storedDiag {
	if len(skipped) == 0 {
		return nil
	}
	d := k.s.diags
	d.mu.Lock()
	prev := d.files[f.Path]
	d.mu.Unlock()
	if prev == nil || prev.mapper == nil {
		return nil
	}
	text := prev.text
	if text == nil {
		text = prev.mapper.Content()
	}
	if !bytes.Equal(text, f.Content) {
		return nil
	}
	var out []storedDiag
	for _, it := range prev.items {
		start, err1 := prev.mapper.Offset(it.pd.Range.Start)
		end, err2 := prev.mapper.Offset(it.pd.Range.End)
		if err1 != nil || err2 != nil {
			continue
		}
		for _, sp := range skipped {
			if sp.Start <= start && end <= sp.End {
				out = append(out, storedDiag{pd: it.pd})
				break
			}
		}
	}
	return out
}

// publishFile publishes the diagnostics of one file version, unless they
// and the version equal what was last published.
func (k *runSink) publishFile(f *cache.File, diags []cache.Diagnostic, skipped []partial.Span) {
	mapper := lspfix.NewMapper(f.Content)
	items := make([]storedDiag, 0, len(diags))
	for _, cd := range diags {
		items = append(items, storedDiag{pd: k.toProtocol(mapper, cd), fixes: cd.Fixes})
	}
	items = append(items, k.heldOver(f, skipped)...)
	pds := make([]protocol.Diagnostic, 0, len(items))
	for _, it := range items {
		pds = append(pds, it.pd)
	}
	data, _ := json.Marshal(pds)
	hash := string(data)
	d := k.s.diags
	d.mu.Lock()
	prev, had := d.files[f.Path]
	d.mu.Unlock()
	if had && prev.hash == hash && prev.version == f.Version {
		if prev.interim {
			// The client has these diagnostics already; the record
			// gets their fixes.
			k.s.sched.publish(k.ctx, func() {
				d.mu.Lock()
				d.files[f.Path] = &fileDiags{version: f.Version, hash: hash, mapper: mapper, items: items}
				d.mu.Unlock()
			})
		}
		return
	}
	if !had && len(pds) == 0 && f.Version == 0 {
		// Nothing to say about a closed file that never had diagnostics,
		// but remember it so code actions know its state.
		d.mu.Lock()
		d.files[f.Path] = &fileDiags{version: f.Version, hash: hash, mapper: mapper, items: items}
		d.mu.Unlock()
		return
	}
	k.s.sched.publish(k.ctx, func() {
		d.mu.Lock()
		d.files[f.Path] = &fileDiags{version: f.Version, hash: hash, mapper: mapper, items: items}
		d.mu.Unlock()
		params := &protocol.PublishDiagnosticsParams{URI: pathToURI(f.Path), Diagnostics: pds}
		if f.Version > 0 {
			params.Version = uint32(f.Version)
		}
		if err := k.s.client.PublishDiagnostics(context.Background(), params); err != nil {
			k.s.logStderr("publishing diagnostics of %s: %v", f.Path, err)
		}
	})
}

func (k *runSink) toProtocol(m *lspfix.Mapper, cd cache.Diagnostic) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    m.Range(cd.Start, cd.End),
		Severity: severity(k.set.SeverityIn(cd.Check, cd.File)),
		Code:     cd.Check,
		Source:   "lifecycle",
		Message:  cd.Message,
	}
	if cd.URL != "" {
		pd.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(cd.URL)}
	}
	for _, rel := range cd.Related {
		var rm *lspfix.Mapper
		if rel.File == cd.File {
			rm = m
		} else {
			f := k.s.session.ReadFile(rel.File)
			if f.Err != nil {
				continue
			}
			rm = lspfix.NewMapper(f.Content)
		}
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: pathToURI(rel.File), Range: rm.Range(rel.Start, rel.End)},
			Message:  rel.Message,
		})
	}
	return pd
}

// generatedFiles tells generated files (ast.IsGenerated's convention)
// apart, reading each file once.
type generatedFiles struct {
	s     *Server
	known map[string]bool
}

func (g generatedFiles) is(path string) bool {
	if v, ok := g.known[path]; ok {
		return v
	}
	v := false
	if f := g.s.session.ReadFile(path); f.Err == nil {
		if af, _ := parser.ParseFile(token.NewFileSet(), path, f.Content, parser.PackageClauseOnly|parser.ParseComments); af != nil {
			v = ast.IsGenerated(af)
		}
	}
	g.known[path] = v
	return v
}

// withoutGenerated drops the fixes that edit a generated file.
func (g generatedFiles) withoutGenerated(fixes []cache.Fix) []cache.Fix {
	var out []cache.Fix
next:
	for _, fix := range fixes {
		for _, e := range fix.Edits {
			if g.is(e.File) {
				continue next
			}
		}
		out = append(out, fix)
	}
	return out
}

func severity(s string) protocol.DiagnosticSeverity {
	switch s {
	case settings.SeverityError:
		return protocol.DiagnosticSeverityError
	case settings.SeverityInformation:
		return protocol.DiagnosticSeverityInformation
	case settings.SeverityHint:
		return protocol.DiagnosticSeverityHint
	}
	return protocol.DiagnosticSeverityWarning
}

// finish ends a run: on success, files no package owns any more (deleted,
// moved out of the workspace) are cleared.
func (k *runSink) finish(err error) {
	if k.progress != nil {
		msg := "done"
		if err != nil {
			msg = "interrupted"
		}
		k.progress.end(msg)
	}
	if err != nil {
		return
	}
	d := k.s.diags
	d.mu.Lock()
	d.analysed = k.md
	var gone []string
	for p, f := range d.files {
		if !k.seen[p] {
			if f.hash != "[]" {
				gone = append(gone, p)
			} else {
				delete(d.files, p)
			}
		}
	}
	d.mu.Unlock()
	sort.Strings(gone)
	for _, p := range gone {
		k.s.sched.publish(k.ctx, func() {
			d.mu.Lock()
			delete(d.files, p)
			d.mu.Unlock()
			_ = k.s.client.PublishDiagnostics(context.Background(), &protocol.PublishDiagnosticsParams{URI: pathToURI(p), Diagnostics: []protocol.Diagnostic{}})
		})
	}
}
