package server

import (
	"context"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
)

// fixAllKind is the code-action kind of "apply every lifecycle fix".
const fixAllKind protocol.CodeActionKind = "source.fixAll.lifecycle"

// codeActionWait bounds how long a code-action request waits for the
// analysis of the document version it refers to.
const codeActionWait = 3 * time.Second

// codeAction returns the quick fixes of the published diagnostics the
// request refers to, and the file's fix-all action. Fixes come from the
// last publication for the document's current version; they are never
// recomputed here.
func (s *Server) codeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	path := uriToPath(p.TextDocument.URI)
	fd, ok := s.currentFixes(path)
	if !ok {
		deadline := time.NewTimer(codeActionWait)
		defer deadline.Stop()
		for !ok {
			next := s.sched.nextCompletion()
			select {
			case <-ctx.Done():
				return nil, protocol.ErrRequestCancelled
			case <-deadline.C:
				return []protocol.CodeAction{}, nil
			case <-next:
			}
			fd, ok = s.currentFixes(path)
		}
	}
	if ctx.Err() != nil {
		return nil, protocol.ErrRequestCancelled
	}
	only := p.Context.Only
	wantQuick := kindWanted(only, protocol.QuickFix)
	wantAll := kindWanted(only, fixAllKind)
	s.mu.Lock()
	docChanges := s.caps.Workspace != nil && s.caps.Workspace.WorkspaceEdit != nil && s.caps.Workspace.WorkspaceEdit.DocumentChanges
	s.mu.Unlock()
	docs := func(p string) (lspfix.Document, bool) {
		if p == path {
			return lspfix.Document{URI: pathToURI(p), Version: fd.version, Mapper: fd.mapper}, true
		}
		f := s.session.ReadFile(p)
		if f.Err != nil {
			return lspfix.Document{}, false
		}
		return lspfix.Document{URI: pathToURI(p), Version: f.Version, Mapper: lspfix.NewMapper(f.Content)}, true
	}
	actions := []protocol.CodeAction{}
	var all [][]lspfix.Edit
	for _, item := range fd.items {
		if len(item.fixes) == 0 {
			continue
		}
		all = append(all, edits(item.fixes[0]))
		if !wantQuick || !matches(item.pd, p.Context.Diagnostics, p.Range) {
			continue
		}
		for i, fix := range item.fixes {
			we, err := lspfix.WorkspaceEdit(edits(fix), docs, docChanges)
			if err != nil {
				s.logf("code action %q: %v", fix.Message, err)
				continue
			}
			actions = append(actions, protocol.CodeAction{
				Title:       fix.Message,
				Kind:        protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{item.pd},
				IsPreferred: i == 0,
				Edit:        we,
			})
		}
	}
	if wantAll && len(all) > 0 {
		we, err := lspfix.WorkspaceEdit(lspfix.Merge(all), docs, docChanges)
		if err == nil {
			actions = append(actions, protocol.CodeAction{Title: "Fix all lifecycle issues in this file", Kind: fixAllKind, Edit: we})
		}
	}
	return actions, nil
}

// currentFixes returns the published diagnostics of path if they were
// computed on the document's current version.
func (s *Server) currentFixes(path string) (*fileDiags, bool) {
	fd, ok := s.diags.lookup(path)
	if !ok {
		return nil, false
	}
	cur := s.session.ReadFile(path)
	if cur.Err != nil || cur.Version != fd.version || string(cur.Content) != string(fd.mapper.Content()) {
		return nil, false
	}
	return fd, true
}

func edits(f cache.Fix) []lspfix.Edit {
	out := make([]lspfix.Edit, 0, len(f.Edits))
	for _, e := range f.Edits {
		out = append(out, lspfix.Edit{Path: e.File, Start: e.Start, End: e.End, NewText: e.NewText})
	}
	return out
}

// kindWanted reports whether an action of kind k is wanted by only.
func kindWanted(only []protocol.CodeActionKind, k protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o == k || strings.HasPrefix(string(k), string(o)+".") {
			return true
		}
	}
	return false
}

// matches reports whether a published diagnostic is one the client sent
// (same range, message and code), or, when the client sent none, lies in
// the requested range.
func matches(pd protocol.Diagnostic, sent []protocol.Diagnostic, r protocol.Range) bool {
	if len(sent) == 0 {
		return !before(pd.Range.End, r.Start) && !before(r.End, pd.Range.Start)
	}
	for _, cd := range sent {
		if cd.Range == pd.Range && cd.Message == pd.Message && (cd.Source == "" || cd.Source == pd.Source) {
			return true
		}
	}
	return false
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}
