package server

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
)

// fixAllKind is the code-action kind of "apply every lifecycle fix".
const fixAllKind protocol.CodeActionKind = "source.fixAll.lifecycle"

// methodCodeActionResolve is the request that fills in a code action's
// edit.
const methodCodeActionResolve = "codeAction/resolve"

// codeActionWait bounds how long a code-action request waits for the
// analysis of the document version it refers to.
const codeActionWait = 3 * time.Second

// codeAction returns the quick fixes of the published diagnostics the
// request refers to, and the file's fix-all action. Quick fixes come from
// the last publication for the document's current version; they are never
// recomputed here. The fix-all action applies fixes to a fixpoint, which
// takes analyses of the fixed text: when the request asks for every kind of
// action and the client resolves edits lazily, it is computed only when the
// action is resolved; otherwise at once.
func (s *Server) codeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	path := uriToPath(p.TextDocument.URI)
	fd, err := s.waitFixes(ctx, path)
	if err != nil || fd == nil {
		return []protocol.CodeAction{}, err
	}
	only := p.Context.Only
	wantQuick := kindWanted(only, protocol.QuickFix)
	wantAll := kindWanted(only, fixAllKind)
	docChanges, lazy := s.editCapabilities()
	docs := s.documents(path, fd)
	actions := []protocol.CodeAction{}
	anyFix := false
	for _, item := range fd.items {
		if len(item.fixes) == 0 {
			continue
		}
		anyFix = true
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
	if !wantAll || !anyFix {
		return actions, nil
	}
	all := protocol.CodeAction{Title: fixAllTitle, Kind: fixAllKind}
	// A request for every kind (a light bulb) gets the action to resolve
	// when chosen; a request for fix-all itself (on save, a fix-all
	// command) gets the edit at once.
	if lazy && len(only) == 0 {
		all.Data = fixAllData{URI: p.TextDocument.URI, Version: fd.version}
		return append(actions, all), nil
	}
	we, err := s.fixAll(ctx, path, fd)
	switch {
	case errors.Is(err, protocol.ErrRequestCancelled):
		return nil, err
	case err != nil:
		s.logf("%v", err)
	case we != nil:
		all.Edit = we
		actions = append(actions, all)
	}
	return actions, nil
}

// fixAllTitle is the title of the fix-all action.
const fixAllTitle = "Fix all lifecycle issues in this file"

// fixAllData is what a lazily resolved fix-all action carries: the
// document and the version it was offered for.
type fixAllData struct {
	URI     protocol.DocumentURI `json:"uri"`
	Version int32                `json:"version"`
}

// resolveCodeAction fills in the edit of a fix-all action offered without
// one. The document must still be at the version the action was offered
// for.
func (s *Server) resolveCodeAction(ctx context.Context, a *protocol.CodeAction) (*protocol.CodeAction, error) {
	if a.Kind != fixAllKind || a.Edit != nil {
		return a, nil
	}
	raw, err := json.Marshal(a.Data)
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "code action data: "+err.Error())
	}
	var data fixAllData
	if err := json.Unmarshal(raw, &data); err != nil || data.URI == "" {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "the code action to resolve carries no document")
	}
	path := uriToPath(data.URI)
	fd, err := s.waitFixes(ctx, path)
	if err != nil {
		return nil, err
	}
	if fd == nil || fd.version != data.Version {
		return nil, jsonrpc2.NewError(errContentModified, "the document changed since the action was offered")
	}
	we, err := s.fixAll(ctx, path, fd)
	if err != nil {
		return nil, err
	}
	if we == nil {
		we = &protocol.WorkspaceEdit{}
	}
	a.Edit = we
	return a, nil
}

// errContentModified is LSP's ContentModified error code.
const errContentModified jsonrpc2.Code = -32801

// waitFixes returns the published diagnostics of path for the document's
// current version, waiting up to codeActionWait for them; nil when they do
// not come in time.
func (s *Server) waitFixes(ctx context.Context, path string) (*fileDiags, error) {
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
				return nil, nil
			case <-next:
			}
			fd, ok = s.currentFixes(path)
		}
	}
	if ctx.Err() != nil {
		return nil, protocol.ErrRequestCancelled
	}
	return fd, nil
}

// editCapabilities reports whether the client takes versioned document
// changes and whether it resolves a code action's edit lazily.
func (s *Server) editCapabilities() (docChanges, lazy bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	docChanges = s.caps.Workspace != nil && s.caps.Workspace.WorkspaceEdit != nil && s.caps.Workspace.WorkspaceEdit.DocumentChanges
	if td := s.caps.TextDocument; td != nil && td.CodeAction != nil && td.CodeAction.ResolveSupport != nil {
		lazy = slices.Contains(td.CodeAction.ResolveSupport.Properties, "edit")
	}
	return docChanges, lazy
}

// documents maps paths to the document versions edits apply to: path at
// the published version, other files as the session has them.
func (s *Server) documents(path string, fd *fileDiags) lspfix.Documents {
	return func(p string) (lspfix.Document, bool) {
		if p == path {
			return lspfix.Document{URI: pathToURI(p), Version: fd.version, Mapper: fd.mapper}, true
		}
		f := s.session.ReadFile(p)
		if f.Err != nil {
			return lspfix.Document{}, false
		}
		return lspfix.Document{URI: pathToURI(p), Version: f.Version, Mapper: lspfix.NewMapper(f.Content)}, true
	}
}

// currentFixes returns the published diagnostics of path if they were
// computed on the document's current version.
func (s *Server) currentFixes(path string) (*fileDiags, bool) {
	fd, ok := s.diags.lookup(path)
	if !ok || fd.interim {
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
