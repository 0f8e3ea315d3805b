package cache

import (
	"context"
	"errors"
	"fmt"
)

// WithTexts returns a snapshot like s in which the files of texts have
// that content (as unsaved buffers, keeping the version of an open one).
func (s *Snapshot) WithTexts(texts map[string][]byte) *Snapshot {
	out := *s
	out.Overlays = make(map[string]*File, len(s.Overlays)+len(texts))
	for p, f := range s.Overlays {
		out.Overlays[p] = f
	}
	for p, t := range texts {
		version := int32(0)
		if f, ok := s.Overlays[p]; ok {
			version = f.Version
		}
		out.Overlays[p] = NewFile(p, version, t)
	}
	return &out
}

// Reanalyze computes the results of the workspace packages that own files
// in snap, for a snapshot that is not the session's: the texts of a fix
// applied in memory (see Snapshot.WithTexts). It publishes nothing and
// leaves the engine's package graph alone: when the texts change the graph
// (a fix adds an import), the graph is loaded anew for this computation
// only. Unlike Run it may run while a Run is in progress; what it computes
// is cached like the results of a Run and dropped by the next Run that
// does not use it.
func (e *Engine) Reanalyze(ctx context.Context, snap *Snapshot, files []string, logf func(string, ...any)) ([]PackageResult, error) {
	e.mu.Lock()
	md := e.meta
	valid := md != nil && e.metaValid && e.metaEpoch == snap.loadEpoch && sameLoad(e.metaLoad, snap.Opts.loadOptions()) && slicesEqual(e.metaFold, snap.Folders)
	e.mu.Unlock()
	if !valid || stale(md, snap) {
		md = loadMetadata(ctx, snap.Folders, snap.Overlays, snap.disk, snap.Opts.loadOptions())
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		defer e.universe.forget(md)
	}
	r := &run{e: e, ctx: ctx, snap: snap, md: md, sink: logSink(logf), nodes: map[string]*future{}}
	var out []PackageResult
	seen := map[string]bool{}
	for _, f := range files {
		id, ok := md.Owner[f]
		if !ok {
			return nil, fmt.Errorf("%s belongs to no workspace package", f)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		res, err := r.workspace(id)
		if err != nil {
			return nil, fmt.Errorf("analysing %s: %w", id, err)
		}
		out = append(out, res.owned(md, id))
	}
	if len(out) == 0 {
		return nil, errors.New("no file to analyse")
	}
	return out, nil
}

// forget drops the keys computed for md, a package graph loaded for one
// computation.
func (u *universe) forget(md *Metadata) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.keys, md)
}

// logSink is a Sink that only logs.
type logSink func(string, ...any)

func (l logSink) Loaded(*Metadata)                { /* nothing to publish */ }
func (l logSink) Package(PackageResult)           { /* nothing to publish */ }
func (l logSink) Progress(int, int)               { /* nothing to report */ }
func (l logSink) Logf(format string, args ...any) { l(format, args...) }
