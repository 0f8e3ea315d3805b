package streamdriver

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// GovernHeap sets the Go runtime's memory limit to base, and after every
// garbage collection moves it to twice the live heap, between base and
// ceiling. A run whose live heap stays under half of base (the standard
// library: under 0.5 GiB live for a 1.25 GiB limit) never sees another
// limit. One that analyses a very large package (a generated API client
// of hundreds of files, in memory with its syntax, types and SSA form)
// would otherwise hold its live heap just under the limit, where the
// collector runs back to back (a third of the CPU time of a whole run);
// it gets room to allocate instead, up to ceiling, and the limit comes back
// down once the package is dropped.
//
// stop ends the adjustments and sets the limit back to base.
func GovernHeap(base, ceiling int64) (stop func()) {
	debug.SetMemoryLimit(base)
	g := &heapGovernor{base: base, ceiling: ceiling}
	g.arm()
	return func() {
		g.stopped.Store(true)
		debug.SetMemoryLimit(base)
	}
}

type heapGovernor struct {
	base, ceiling int64
	stopped       atomic.Bool
}

// sentinel is garbage as soon as it is allocated: its finalizer runs after
// the next collection.
type sentinel struct{ _ [16]byte }

// arm makes adjust run after the next collection, and again after each
// one until the governor is stopped.
func (g *heapGovernor) arm() {
	runtime.SetFinalizer(new(sentinel), func(*sentinel) {
		if g.stopped.Load() {
			return
		}
		g.adjust()
		g.arm()
	})
}

func (g *heapGovernor) adjust() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetMemoryLimit(heapLimit(int64(sample[0].Value.Uint64()), g.base, g.ceiling))
}

// heapLimit is the memory limit for a live heap of live bytes: twice it,
// between base and ceiling. (Against 7/4, on tailscale.com: the collector's
// share of 60 s of CPU went down by about 7 s, for a peak RSS of 2.06 GiB
// instead of 1.7–1.9 GiB.)
func heapLimit(live, base, ceiling int64) int64 {
	return min(ceiling, max(base, live*2))
}
