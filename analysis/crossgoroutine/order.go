package crossgoroutine

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The ordering model. Two goroutines are ordered only by something that
// waits: a channel receive, a blocking select, a Wait call, time.Sleep.
// Where the check needs to know that a goroutine cannot run straight
// through to a point (the owner from its go statement to its return, a
// spawned goroutine from its start to its release), any call that may
// block counts too: a send, a call into code the analysis cannot see, a
// call of a function of this package whose body may block.

// nonBlockingPkgs are packages whose functions return without waiting for
// another goroutine (time.Sleep and the Wait methods of sync excepted,
// which are waits by name).
var nonBlockingPkgs = map[string]bool{
	"fmt": true, "strings": true, "strconv": true, "bytes": true, "errors": true, "sort": true,
	"slices": true, "maps": true, "math": true, "math/bits": true, "unicode": true, "unicode/utf8": true,
	"sync": true, "sync/atomic": true, "log": true, "log/slog": true, "path": true, "path/filepath": true,
	"reflect": true, "runtime": true, "context": true, "time": true, "testing": true, "net/netip": true,
	"net/url": true, "encoding/hex": true, "encoding/base64": true, "unsafe": true, "iter": true,
}

// nonBlockingMethods are methods of interfaces and unseen types that only
// read or record state.
var nonBlockingMethods = map[string]bool{
	"Error": true, "String": true, "Len": true, "Name": true, "Addr": true, "LocalAddr": true,
	"RemoteAddr": true, "Done": true, "Err": true, "Value": true, "Deadline": true, "Lock": true,
	"Unlock": true, "RLock": true, "RUnlock": true, "Add": true, "Helper": true, "Log": true,
	"Logf": true, "Errorf": true, "Fatal": true, "Fatalf": true, "Cleanup": true, "Stat": true,
}

// blockingNames are calls that block in a package otherwise listed as
// non-blocking.
var blockingNames = map[string]bool{"Sleep": true, "Wait": true, "Run": true, "Do": true}

// order answers ordering questions about the functions of one package.
// It is used by one pass at a time.
type order struct {
	memo  [2]map[*ssa.Function]bool // [0]: may block, [1]: waits
	depth int
}

// waits reports whether instr waits for another goroutine by itself or
// through a function of this package: a receive, a blocking select, a
// Wait method, time.Sleep.
func (o *order) waits(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW
	case *ssa.Select:
		return x.Blocking
	case *ssa.Call:
		if isWaitCall(&x.Call) {
			return true
		}
		if fn := x.Call.StaticCallee(); fn != nil && fn.Blocks != nil {
			return o.funcMay(fn, true)
		}
	}
	return false
}

// isWaitCall reports a call of a method named Wait or of time.Sleep.
func isWaitCall(call *ssa.CallCommon) bool {
	if name, recv := methodOf(call); recv != nil || call.IsInvoke() {
		return name == "Wait"
	}
	if fn := call.StaticCallee(); fn != nil && fn.Pkg != nil {
		return fn.Pkg.Pkg.Path() == "time" && fn.Name() == "Sleep"
	}
	return false
}

// mayBlock reports whether instr may block: it waits, sends on a channel,
// or calls something that may.
func (o *order) mayBlock(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW
	case *ssa.Select:
		return x.Blocking
	case *ssa.Send:
		return true
	case *ssa.Call:
		return o.callMayBlock(&x.Call)
	}
	return false
}

// deferWaits reports whether a deferred call waits when it runs: a
// deferred Wait, or a deferred function of this package that waits.
func (o *order) deferWaits(d *ssa.Defer) bool {
	if isWaitCall(&d.Call) {
		return true
	}
	fn := d.Call.StaticCallee()
	return fn != nil && fn.Blocks != nil && o.funcMay(fn, true)
}

func (o *order) callMayBlock(call *ssa.CallCommon) bool {
	if isWaitCall(call) {
		return true
	}
	if _, ok := call.Value.(*ssa.Builtin); ok {
		return false
	}
	if o.runsBlockingFunc(call) {
		return true
	}
	if call.IsInvoke() {
		return !nonBlockingMethods[call.Method.Name()]
	}
	fn := call.StaticCallee()
	if fn == nil {
		return true // a func value: unknown
	}
	if fn.Blocks != nil {
		return o.funcMay(fn, false)
	}
	name := strings.TrimSuffix(fn.Name(), "$bound")
	if nonBlockingMethods[name] && fn.Signature.Recv() != nil {
		return false
	}
	obj := fn.Object()
	if obj == nil || obj.Pkg() == nil {
		return true
	}
	return !nonBlockingPkgs[obj.Pkg().Path()] || blockingNames[name]
}

// runsBlockingFunc reports whether call is given a function of this
// package that may block (testing.AllocsPerRun(n, f), t.Run(name, f),
// once.Do(f)): the callee may run it.
func (o *order) runsBlockingFunc(call *ssa.CallCommon) bool {
	for _, a := range call.Args {
		var fn *ssa.Function
		switch f := a.(type) {
		case *ssa.MakeClosure:
			fn = f.Fn.(*ssa.Function)
		case *ssa.Function:
			fn = f
		}
		if fn != nil && fn.Blocks != nil && o.funcMay(fn, false) {
			return true
		}
	}
	return false
}

// funcMay reports whether fn, a function with a body, waits (onlyWaits) or
// may block. Recursion and deep call chains answer false.
func (o *order) funcMay(fn *ssa.Function, onlyWaits bool) bool {
	i := 0
	if onlyWaits {
		i = 1
	}
	if o.memo[i] == nil {
		o.memo[i] = map[*ssa.Function]bool{}
	}
	if r, ok := o.memo[i][fn]; ok {
		return r
	}
	if o.depth > 4 {
		return false
	}
	o.memo[i][fn] = false // in progress
	o.depth++
	result := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, deferred := instr.(*ssa.Defer)
			if (onlyWaits && (o.waits(instr) || deferred && o.deferWaits(d))) ||
				(!onlyWaits && (o.mayBlock(instr) || deferred && o.callMayBlock(&d.Call))) {
				result = true
				break
			}
		}
		if result {
			break
		}
	}
	o.depth--
	o.memo[i][fn] = result
	return result
}

// reach explores the control-flow graph forward from just after instr
// (from the start of its function when instr is nil). It returns the first
// instruction for which found holds, without going past instructions for
// which stop holds (found is asked first).
func reach(fn *ssa.Function, from ssa.Instruction, found, stop func(ssa.Instruction) bool) ssa.Instruction {
	type item struct {
		b *ssa.BasicBlock
		i int
	}
	var work []item
	if from == nil {
		if len(fn.Blocks) == 0 {
			return nil
		}
		work = append(work, item{fn.Blocks[0], 0})
	} else {
		work = append(work, item{from.Block(), indexOf(from) + 1})
	}
	seen := map[*ssa.BasicBlock]bool{}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		blocked := false
		for _, instr := range it.b.Instrs[it.i:] {
			if found(instr) {
				return instr
			}
			if stop(instr) {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for _, s := range it.b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, item{s, 0})
			}
		}
	}
	return nil
}

func indexOf(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// precedes reports whether a runs before b on every path to b: a's block
// dominates b's, or both are in one block with a first.
func precedes(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return indexOf(a) < indexOf(b)
	}
	return a.Block().Dominates(b.Block())
}

// never is a stop function that stops nowhere.
func never(ssa.Instruction) bool { return false }

// waitedBefore computes, for a goroutine body fn, whether every path from
// its start to each instruction passes a blocking point after the last
// operation on the tracked variable: the value of state before instr.
// touches reports an operation that resets the state; blocks one that
// sets it.
func waitedBefore(fn *ssa.Function, touches, blocks func(ssa.Instruction) bool) func(ssa.Instruction) bool {
	in := map[*ssa.BasicBlock]bool{}
	out := map[*ssa.BasicBlock]bool{}
	transfer := func(b *ssa.BasicBlock, state bool) bool {
		for _, instr := range b.Instrs {
			state = step(instr, state, touches, blocks)
		}
		return state
	}
	for _, b := range fn.Blocks {
		out[b] = true
	}
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks {
			state := b.Index != 0 // the start has not waited yet
			for _, p := range b.Preds {
				state = state && out[p]
			}
			in[b] = state
			if o := transfer(b, state); o != out[b] {
				out[b] = o
				changed = true
			}
		}
	}
	return func(at ssa.Instruction) bool {
		state := in[at.Block()]
		for _, instr := range at.Block().Instrs {
			if instr == at {
				break
			}
			state = step(instr, state, touches, blocks)
		}
		return state
	}
}

func step(instr ssa.Instruction, state bool, touches, blocks func(ssa.Instruction) bool) bool {
	if touches(instr) {
		return false
	}
	if blocks(instr) {
		return true
	}
	return state
}

// lockHeld reports whether fn holds a lock at instr: a Lock or RLock call
// precedes it with no Unlock in between, fn's name says its caller holds
// the lock (the …Locked convention), or fn is a closure made while its
// parent held one.
func lockHeld(fn *ssa.Function, at ssa.Instruction) bool {
	if strings.HasSuffix(fn.Name(), "Locked") || strings.HasSuffix(fn.Name(), "locked") {
		return true
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isLockCall(&call.Call, "Lock", "RLock") || !precedes(call, at) {
				continue
			}
			unlocked := reach(fn, call, func(x ssa.Instruction) bool {
				c, ok := x.(*ssa.Call)
				return ok && isLockCall(&c.Call, "Unlock", "RUnlock") && reach(fn, c, func(y ssa.Instruction) bool { return y == at }, never) != nil
			}, func(x ssa.Instruction) bool { return x == at })
			if unlocked == nil {
				return true
			}
		}
	}
	if parent := fn.Parent(); parent != nil {
		if at := mentionOf(parent, fn); at != nil {
			return lockHeld(parent, at)
		}
	}
	return false
}

// mentionOf returns the instruction of parent that makes the closure fn
// or, for a literal that captures nothing, first refers to it.
func mentionOf(parent, fn *ssa.Function) ssa.Instruction {
	var ops []*ssa.Value
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(ops[:0]) {
				if op != nil && *op == ssa.Value(fn) {
					return instr
				}
			}
		}
	}
	return nil
}

func isLockCall(call *ssa.CallCommon, names ...string) bool {
	name, recv := methodOf(call)
	if recv == nil {
		return false
	}
	for _, n := range names {
		if name == n {
			return isLocker(recv.Type())
		}
	}
	return false
}

// isLocker reports whether t has Lock and Unlock methods.
func isLocker(t types.Type) bool {
	return hasMethod(t, "Lock") && hasMethod(t, "Unlock")
}
