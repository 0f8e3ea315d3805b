package server

import (
	"bytes"
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
)

// An edit that removes the code a finding was on must not leave the finding
// on screen until the package is analysed again. So, on every change of an
// open document, the diagnostics last published for it are carried over the
// edit at once: a diagnostic the edit touched (its range, or a related
// location in the same file) is dropped, the ones after the edit are moved
// by it, and the result is published for the new version before any
// analysis runs. Such an interim publication only ever removes or moves
// what the analysis found; the analysis of the new version follows and its
// publication is the one that counts (code actions wait for it).

// editSpan is one applied content change in byte offsets: the bytes
// [start, end) of the content before it became n bytes.
type editSpan struct{ start, end, n int }

// diffSpan returns the span that turns before into after: the bytes between
// their common prefix and their common suffix.
func diffSpan(before, after []byte) editSpan {
	p := 0
	for p < len(before) && p < len(after) && before[p] == after[p] {
		p++
	}
	s := 0
	for s < len(before)-p && s < len(after)-p && before[len(before)-1-s] == after[len(after)-1-s] {
		s++
	}
	return editSpan{start: p, end: len(before) - s, n: len(after) - s - p}
}

// offsetRange is a byte range in a file.
type offsetRange struct{ start, end int }

// carry moves r over the edits: it is kept where it is when it ends before
// an edit, moved when it starts after it, and dropped (ok false) when an
// edit overlaps it.
func carry(r offsetRange, spans []editSpan) (offsetRange, bool) {
	for _, s := range spans {
		switch {
		case r.end <= s.start:
		case r.start >= s.end:
			d := s.n - (s.end - s.start)
			r.start += d
			r.end += d
		default:
			return r, false
		}
	}
	return r, true
}

// afterEdit carries the diagnostics last published for path over the edit
// that turned before into after (spans, applied in order), and publishes
// them for version when the edit dropped or moved any. It must be called
// while no run can publish (see scheduler.interim).
func (d *diagnostics) afterEdit(path string, before []byte, version int32, after []byte, spans []editSpan) {
	d.mu.Lock()
	fd, ok := d.files[path]
	d.mu.Unlock()
	if !ok {
		return
	}
	base := fd.text
	if base == nil {
		base = fd.mapper.Content()
	}
	if !bytes.Equal(base, before) {
		return // the record does not follow the document: leave it to the analysis
	}
	uri := pathToURI(path)
	old := lspfix.NewMapper(before)
	next := lspfix.NewMapper(after)
	moved := false
	offsets := func(r protocol.Range) (offsetRange, bool) {
		s, err1 := old.Offset(r.Start)
		e, err2 := old.Offset(r.End)
		return offsetRange{s, e}, err1 == nil && err2 == nil
	}
	// carryRange maps a range of before to after, reporting whether the
	// edits left it alone.
	carryRange := func(r protocol.Range) (protocol.Range, bool) {
		or, ok := offsets(r)
		if !ok {
			return r, false
		}
		nr, ok := carry(or, spans)
		if !ok {
			return r, false
		}
		if nr != or {
			moved = true
		}
		return next.Range(nr.start, nr.end), true
	}
	var kept []storedDiag
	for _, it := range fd.items {
		pd := it.pd
		r, ok := carryRange(pd.Range)
		if !ok {
			continue
		}
		pd.Range = r
		if len(pd.RelatedInformation) > 0 {
			rel := make([]protocol.DiagnosticRelatedInformation, 0, len(pd.RelatedInformation))
			for _, ri := range pd.RelatedInformation {
				if ri.Location.URI == uri {
					r, ok := carryRange(ri.Location.Range)
					if !ok {
						break
					}
					ri.Location.Range = r
				}
				rel = append(rel, ri)
			}
			if len(rel) < len(pd.RelatedInformation) {
				continue
			}
			pd.RelatedInformation = rel
		}
		// The fixes are left out: code actions wait for the analysis.
		kept = append(kept, storedDiag{pd: pd})
	}
	if len(kept) == len(fd.items) && !moved {
		// Nothing changed on screen: the record now follows after.
		nfd := *fd
		nfd.text = after
		d.mu.Lock()
		d.files[path] = &nfd
		d.mu.Unlock()
		return
	}
	pds := make([]protocol.Diagnostic, 0, len(kept))
	for _, it := range kept {
		pds = append(pds, it.pd)
	}
	data, _ := json.Marshal(pds)
	d.mu.Lock()
	d.files[path] = &fileDiags{version: version, hash: string(data), mapper: next, items: kept, interim: true}
	d.mu.Unlock()
	params := &protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: pds, Version: uint32(max(version, 0))}
	if err := d.s.client.PublishDiagnostics(context.Background(), params); err != nil {
		d.s.logStderr("publishing diagnostics of %s: %v", path, err)
	}
}
