package server

import (
	"context"
	"errors"
	"sync"
	"time"
)

// scheduler runs the engine off the dispatch path: edits arm a debounce
// timer, a newer edit cancels the run in progress at once, and a run may
// publish only while it is the newest. A new run does not wait for the
// cancelled one to wind down (go/types cannot be interrupted, so the
// package it was checking finishes on its own): the edited file's package
// is analysed beside it.
type scheduler struct {
	s *Server

	mu        sync.Mutex
	pending   map[string]bool // priority paths not yet handed to a run
	timer     *time.Timer
	runGen    uint64
	runCtx    context.Context
	runCancel context.CancelFunc
	runPaths  []string
	stopped   bool
	lastKick  time.Time

	// publishMu orders publishing against cancellation: a run checks that
	// it is current and publishes under it; cancel takes it too.
	publishMu sync.Mutex

	// waiters are closed when a run completes.
	idleMu  sync.Mutex
	waiters []chan struct{}
}

func newScheduler(s *Server) *scheduler {
	return &scheduler{s: s, pending: map[string]bool{}}
}

// cancelLocked cancels the current run, keeping its priority paths.
func (sc *scheduler) cancelLocked() {
	if sc.runCancel == nil {
		return
	}
	sc.publishMu.Lock()
	sc.runCancel()
	sc.publishMu.Unlock()
	for _, p := range sc.runPaths {
		sc.pending[p] = true
	}
	sc.runCancel, sc.runPaths = nil, nil
}

// cancel stops the run in progress (an edit is about to change the
// state it works on).
func (sc *scheduler) cancel() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.cancelLocked()
}

// interim runs f (a publication made on the dispatch path) after
// cancelling the run in progress, so that no run publishes while f does
// and none publishes the previous state after it.
func (sc *scheduler) interim(f func()) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.cancelLocked()
	sc.publishMu.Lock()
	defer sc.publishMu.Unlock()
	f()
}

// settleAfterEdit is how long a run started by edits waits, once the edited
// files' packages are published, before it analyses the rest of the
// workspace: long enough for the next keystroke of a burst to arrive and
// cancel it cheaply.
const settleAfterEdit = 200 * time.Millisecond

// burstGap is the longest pause between two edits of one burst of typing.
const burstGap = 100 * time.Millisecond

// kick schedules a run after delay, with paths analysed first. The delay
// debounces bursts of edits: the first edit after a pause is analysed at
// once (a newer edit cancels that run anyway), the following ones wait for
// the burst to settle.
func (sc *scheduler) kick(paths []string, delay time.Duration) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.stopped {
		return
	}
	now := time.Now()
	if now.Sub(sc.lastKick) > burstGap {
		delay = 0
	}
	sc.lastKick = now
	sc.cancelLocked()
	for _, p := range paths {
		sc.pending[p] = true
	}
	if sc.timer != nil {
		sc.timer.Stop()
	}
	sc.timer = time.AfterFunc(max(delay, 0), sc.start)
}

// stop cancels everything; no run starts afterwards.
func (sc *scheduler) stop() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.stopped = true
	sc.cancelLocked()
	if sc.timer != nil {
		sc.timer.Stop()
	}
}

func (sc *scheduler) start() {
	sc.mu.Lock()
	if sc.stopped {
		sc.mu.Unlock()
		return
	}
	sc.cancelLocked()
	var paths []string
	for p := range sc.pending {
		paths = append(paths, p)
	}
	sc.pending = map[string]bool{}
	sc.runGen++
	gen := sc.runGen
	ctx, cancel := context.WithCancel(context.Background())
	sc.runCtx, sc.runCancel, sc.runPaths = ctx, cancel, paths
	sc.mu.Unlock()

	go func() {
		if ctx.Err() != nil {
			return
		}
		snap := sc.s.session.Snapshot()
		sink := newRunSink(sc.s, ctx, gen)
		settle := time.Duration(0)
		if len(paths) > 0 {
			settle = settleAfterEdit
		}
		err := sc.s.engine.Run(ctx, snap, paths, settle, sink)
		sink.finish(err)
		if err == nil {
			sc.mu.Lock()
			if sc.runGen == gen && sc.runCancel != nil {
				// The run is over: release its context before
				// forgetting it.
				sc.runCancel()
				sc.runCancel, sc.runPaths = nil, nil
			}
			sc.mu.Unlock()
			sc.markComplete()
		} else if !errors.Is(err, context.Canceled) {
			sc.s.logf("analysis failed: %v", err)
		}
	}()
}

// publish runs f if the run of ctx is still current.
func (sc *scheduler) publish(ctx context.Context, f func()) bool {
	sc.publishMu.Lock()
	defer sc.publishMu.Unlock()
	if ctx.Err() != nil {
		return false
	}
	f()
	return true
}

func (sc *scheduler) markComplete() {
	sc.idleMu.Lock()
	defer sc.idleMu.Unlock()
	for _, w := range sc.waiters {
		close(w)
	}
	sc.waiters = nil
}

// nextCompletion returns a channel closed when the next run completes.
func (sc *scheduler) nextCompletion() <-chan struct{} {
	sc.idleMu.Lock()
	defer sc.idleMu.Unlock()
	ch := make(chan struct{})
	sc.waiters = append(sc.waiters, ch)
	return ch
}
