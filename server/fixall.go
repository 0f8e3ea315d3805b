package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/fixpoint"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
)

// fixAllRounds bounds the rounds of a fix-all, as for check -fix.
const fixAllRounds = 8

// fixAllBudget bounds the time the re-analyses of a fix-all may take.
// When even the first runs out, the fixes of the published diagnostics
// that do not conflict are offered unchecked, as one round.
const fixAllBudget = 10 * time.Second

// fixAll returns the edit that applies the fixes of path's diagnostics to
// a fixpoint: the fixes that do not conflict are applied in memory, the
// packages of the changed files re-analysed on the fixed text (nothing is
// published), and the fixes of the new diagnostics of path applied in turn,
// until none applies. A round whose fixed text has more type errors than
// the original, or on which an analyzer fails, is dropped. It returns nil
// when no fix applies.
func (s *Server) fixAll(ctx context.Context, path string, fd *fileDiags) (*protocol.WorkspaceEdit, error) {
	snap := s.session.Snapshot()
	set := s.currentSettings()
	gen := generatedFiles{s: s, known: map[string]bool{}}
	first := fixpoint.Analysis[cache.Diagnostic]{Files: []string{path}}
	for _, item := range fd.items {
		first.Findings = append(first.Findings, cache.Diagnostic{File: path, Fixes: item.fixes})
	}
	budget, cancel := context.WithTimeout(ctx, fixAllBudget)
	defer cancel()
	var baseline map[string]int // type errors per package before any fix
	analyze := func(texts map[string][]byte, changed []string) (fixpoint.Analysis[cache.Diagnostic], error) {
		var out fixpoint.Analysis[cache.Diagnostic]
		if baseline == nil {
			rs, err := s.engine.Reanalyze(budget, snap, changed, s.logf)
			if err != nil {
				return out, err
			}
			baseline = map[string]int{}
			for _, r := range rs {
				baseline[r.ID] = r.TypeErrors
			}
		}
		rs, err := s.engine.Reanalyze(budget, snap.WithTexts(texts), changed, s.logf)
		if err != nil {
			return out, err
		}
		for _, r := range rs {
			if r.TypeErrors > baseline[r.ID] {
				return out, fmt.Errorf("the fixed text of %s has %d type errors, %d before", r.ID, r.TypeErrors, baseline[r.ID])
			}
			for _, e := range r.Errors {
				if !strings.HasPrefix(e, "go list: ") {
					head, _, _ := strings.Cut(e, "\n")
					return out, fmt.Errorf("analysing the fixed text of %s: %s", r.ID, head)
				}
			}
			for _, f := range r.Files {
				out.Files = append(out.Files, f.Path)
			}
			for _, d := range r.Diagnostics {
				if d.File != path {
					continue
				}
				if !set.GeneratedEnabled() {
					d.Fixes = gen.withoutGenerated(d.Fixes)
				}
				out.Findings = append(out.Findings, d)
			}
		}
		return out, nil
	}
	res, err := fixpoint.Run(first, fixpoint.Config[cache.Diagnostic]{
		File: func(d cache.Diagnostic) string { return d.File },
		Fix:  firstFix,
		Read: func(file string) ([]byte, error) {
			if file == path {
				return fd.mapper.Content(), nil
			}
			f := s.session.ReadFile(file)
			return f.Content, f.Err
		},
		Analyze:   analyze,
		MaxRounds: fixAllRounds,
	})
	if err != nil {
		return nil, fmt.Errorf("fix all in %s: %w", path, err)
	}
	if ctx.Err() != nil {
		return nil, protocol.ErrRequestCancelled
	}
	var all []lspfix.Edit
	switch {
	case res.Applied == 0 && errors.Is(res.Stopped, context.DeadlineExceeded):
		s.logf("fix all in %s: the fixed text could not be analysed in %v; offering one round of fixes", path, fixAllBudget)
		fixes := make([][]fixpoint.Edit, len(first.Findings))
		for i, d := range first.Findings {
			fixes[i] = firstFix(d)
		}
		accepted, _ := fixpoint.Plan(fixes)
		for _, es := range accepted {
			all = append(all, toLSP(es)...)
		}
	default:
		if res.Stopped != nil {
			s.logf("fix all in %s: the fixes of round %d were dropped: %v", path, res.Undone, res.Stopped)
		}
		for _, es := range res.Edits {
			all = append(all, toLSP(es)...)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	docChanges, _ := s.editCapabilities()
	we, err := lspfix.WorkspaceEdit(all, s.documents(path, fd), docChanges)
	if err != nil {
		return nil, fmt.Errorf("fix all in %s: %w", path, err)
	}
	return we, nil
}

// firstFix returns the edits of a diagnostic's preferred fix.
func firstFix(d cache.Diagnostic) []fixpoint.Edit {
	if len(d.Fixes) == 0 {
		return nil
	}
	var out []fixpoint.Edit
	for _, e := range d.Fixes[0].Edits {
		out = append(out, fixpoint.Edit{File: e.File, Start: e.Start, End: e.End, New: e.NewText})
	}
	return out
}

func toLSP(es []fixpoint.Edit) []lspfix.Edit {
	out := make([]lspfix.Edit, 0, len(es))
	for _, e := range es {
		out = append(out, lspfix.Edit{Path: e.File, Start: e.Start, End: e.End, NewText: e.New})
	}
	return out
}
