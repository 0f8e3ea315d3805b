package overwrite

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// findingKind says what the offending statement does to the slot.
type findingKind int

const (
	overwritten  findingKind = iota // c.conn = other
	setNil                          // c.conn = nil
	replaced                        // m[k] = v, s[i] = v
	deleted                         // delete(m, k)
	cleared                         // s.conns = nil, clear(m)
	droppedValue                    // return err dropping a value it made that holds resources
)

type finding struct {
	instr ssa.Instruction
	pos   token.Pos
	what  findingKind
	slot  *slot
	pre   pstate
	// fresh is set when the new value is nil or a fresh acquisition, so
	// the old one cannot be the same resource.
	fresh bool
	// root and fields describe a dropped value.
	root   *ssa.Alloc
	fields []droppedField
}

// relKey names a place relative to a function's entry: a path from
// parameter param, or from a package variable (global).
type relKey struct {
	param  int
	global *ssa.Global
	path   string
}

type effect struct {
	slot *slot
	st   pstate
}

// flow is one run of the dataflow over a function, either to summarise its
// effect on the places reachable from its parameters (summary) or to find
// the overwrites of live resources.
type flow struct {
	c       *checker
	fn      *ssa.Function
	summary bool
	entry   map[relKey]effect

	info map[pkey]*slot
	keys map[pkey]ssa.Value // non-constant element keys
	in   map[*ssa.BasicBlock]*state

	report   bool
	findings map[ssa.Instruction]finding
	// storePre is the state of the place a store to a scalar slot
	// overwrites, in the reporting walk.
	storePre map[*ssa.Store]pstate
	exit     map[relKey]effect
	evidence map[*ssa.Function]map[relKey]effect
	// loops are the container places whose entries a loop releases one by
	// one, by the loop's header block: leaving the loop, all are released.
	loops map[*ssa.BasicBlock][]pkey
}

// findLoopReleases finds the loops that release every entry of a container
// slot: a range over a map slot whose value is released or handed over,
// and an indexed loop over a slice slot whose element is.
func (f *flow) findLoopReleases() {
	for _, b := range f.fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Next:
				rng, ok := in.Iter.(*ssa.Range)
				if !ok || in.IsString {
					continue
				}
				ck, sl := f.containerOf(rng.X)
				if sl == nil || !sl.isMap {
					continue
				}
				for _, r := range *in.Referrers() {
					if e, ok := r.(*ssa.Extract); ok && e.Index == 2 && f.c.saved(e, sl, map[ssa.Value]bool{}) {
						f.loops[b] = append(f.loops[b], ck)
					}
				}
			case *ssa.UnOp:
				ia, ok := in.X.(*ssa.IndexAddr)
				if !ok || in.Op != token.MUL {
					continue
				}
				ck, sl := f.containerOf(ia.X)
				if sl == nil || sl.isMap {
					continue
				}
				idx, ok := ia.Index.(ssa.Instruction)
				if !ok || !f.c.saved(in, sl, map[ssa.Value]bool{}) {
					continue
				}
				f.loops[idx.Block()] = append(f.loops[idx.Block()], ck)
			}
		}
	}
}

func (c *checker) newFlow(fn *ssa.Function, summary bool, entry map[relKey]effect) *flow {
	f := &flow{c: c, fn: fn, summary: summary, entry: entry, info: map[pkey]*slot{}, keys: map[pkey]ssa.Value{},
		in: map[*ssa.BasicBlock]*state{}, findings: map[ssa.Instruction]finding{}, storePre: map[*ssa.Store]pstate{}, exit: map[relKey]effect{},
		evidence: map[*ssa.Function]map[relKey]effect{}, loops: map[*ssa.BasicBlock][]pkey{}}
	f.findLoopReleases()
	params := make([]ssa.Value, len(fn.Params))
	for i, p := range fn.Params {
		params[i] = p
	}
	for rk, e := range entry {
		if k, ok := f.fromRel(rk, params); ok {
			f.info[k] = e.slot
		}
	}
	return f
}

func (f *flow) fromRel(rk relKey, args []ssa.Value) (pkey, bool) {
	if rk.global != nil {
		return pkey{root: rk.global, path: rk.path}, true
	}
	if rk.param < 0 || rk.param >= len(args) {
		return pkey{}, false
	}
	root, p := basePath(args[rk.param])
	return pkey{root: root, path: p + rk.path}, true
}

func (f *flow) relOf(k pkey) (relKey, bool) {
	if k.elem {
		return relKey{}, false
	}
	switch r := k.root.(type) {
	case *ssa.Global:
		return relKey{param: -1, global: r, path: k.path}, true
	case *ssa.Parameter:
		for i, p := range f.fn.Params {
			if p == r {
				return relKey{param: i, path: k.path}, true
			}
		}
	}
	return relKey{}, false
}

// def is the state of a place the path has not touched.
func (f *flow) def(s *state, k pkey) pstate {
	if sl := f.info[k]; sl != nil && s.rel[sl] {
		return pstate{b: bReleased}
	}
	if _, ok := k.root.(*ssa.Alloc); ok && !k.elem && !strings.Contains(k.path, "*") {
		return pstate{b: bNil}
	}
	if rk, ok := f.relOf(k); ok {
		if f.summary {
			return pstate{b: bEntry}
		}
		if e, ok := f.entry[rk]; ok {
			return pstate{b: bUnknown}.union(e.st)
		}
	}
	return pstate{b: bUnknown}
}

func (f *flow) get(s *state, k pkey) pstate {
	if p, ok := s.p[k]; ok {
		return p
	}
	return f.def(s, k)
}

// run computes the fixpoint, then walks the blocks once more to report.
func (f *flow) run() {
	if len(f.fn.Blocks) == 0 {
		return
	}
	entry := f.fn.Blocks[0]
	f.in[entry] = newState()
	work := []*ssa.BasicBlock{entry}
	queued := map[*ssa.BasicBlock]bool{entry: true}
	budget := 64 * len(f.fn.Blocks)
	for len(work) > 0 && budget > 0 {
		budget--
		b := work[0]
		work = work[1:]
		queued[b] = false
		for i, out := range f.block(b) {
			succ := b.Succs[i]
			if f.merge(succ, out) && !queued[succ] {
				queued[succ] = true
				work = append(work, succ)
			}
		}
	}
	f.report = true
	for _, b := range f.fn.Blocks {
		if f.in[b] != nil {
			f.block(b)
		}
	}
	f.dropOpenings()
}

// dropOpenings drops the nil stores that are part of opening a value's
// resources: a nil store to a field whose old value is unknown (not known
// to hold anything), in a block that also stores values the function
// obtained (acquisitions, results of calls) into other resource fields of
// the same value whose old values are unknown too.
// Those stores are initialisation, not overwrites (a store of a fresh
// value over an unknown one is not reported), and the nil store belongs
// to them: it says the value has no resource of that kind this time (a
// terminal session has no separate stderr pipe). A nil store with no such
// stores beside it, or beside stores of values the function did not
// acquire, is still a reset that drops whatever the field held.
func (f *flow) dropOpenings() {
	for instr, fd := range f.findings {
		st, ok := instr.(*ssa.Store)
		if !ok || fd.what != setNil || fd.pre.b&live != 0 {
			continue
		}
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		root, p := basePath(fa.X)
		for _, other := range st.Block().Instrs {
			o, ok := other.(*ssa.Store)
			if !ok || o == st {
				continue
			}
			ofa, ok := o.Addr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			if oroot, op := basePath(ofa.X); oroot != root || op != p {
				continue
			}
			sl := f.c.slots[slotVar(ofa, f.c.pkg)]
			pre, seen := f.storePre[o]
			if sl == nil || sl.container || !seen || pre.b&live != 0 || !f.obtained(o.Val) {
				continue
			}
			delete(f.findings, instr)
			break
		}
	}
}

func (f *flow) merge(b *ssa.BasicBlock, out *state) bool {
	cur := f.in[b]
	if cur == nil {
		f.in[b] = out
		return true
	}
	changed := false
	for sl := range cur.rel {
		if out.rel[sl] {
			continue
		}
		// places of sl that relied on the default now need it spelled out
		for k, ks := range f.info {
			if _, ok := cur.p[k]; !ok && ks == sl {
				cur.p[k] = f.def(cur, k)
			}
		}
		delete(cur.rel, sl)
		changed = true
	}
	for k := range out.p {
		if _, ok := cur.p[k]; !ok {
			cur.p[k] = f.def(cur, k)
		}
	}
	for k, p := range cur.p {
		q, ok := out.p[k]
		if !ok {
			q = f.def(out, k)
		}
		u := p.union(q)
		if !u.equal(p) {
			cur.p[k] = u
			changed = true
		}
	}
	return changed
}

// block applies b's instructions to a copy of its entry state and returns
// the state on each outgoing edge.
func (f *flow) block(b *ssa.BasicBlock) []*state {
	s := f.in[b].clone()
	for _, ck := range f.loops[b] {
		f.clearContainer(s, ck, nil)
		f.set(s, ck, pstate{b: bReleased})
	}
	for _, instr := range b.Instrs {
		f.step(s, instr)
	}
	if len(b.Succs) == 2 {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			t, e := s.clone(), s
			f.refine(t, ifi.Cond, true)
			f.refine(e, ifi.Cond, false)
			return []*state{t, e}
		}
	}
	out := make([]*state, len(b.Succs))
	for i := range out {
		out[i] = s
		if i > 0 {
			out[i] = s.clone()
		}
	}
	return out
}

func (f *flow) set(s *state, k pkey, p pstate) { s.p[k] = p }

func (f *flow) step(s *state, instr ssa.Instruction) {
	if v, ok := instr.(ssa.Value); ok {
		f.kill(s, v)
	}
	switch in := instr.(type) {
	case *ssa.Store:
		f.store(s, in)
	case *ssa.MapUpdate:
		f.mapUpdate(s, in)
	case *ssa.UnOp:
		if in.Op == token.MUL {
			f.load(s, in)
		}
	case *ssa.Lookup:
		f.lookup(s, in)
	case *ssa.Extract:
		f.rangeKey(s, in)
	case *ssa.Return:
		if f.summary {
			f.exitState(s, in)
		} else if f.report {
			f.dropped(s, in)
		}
	case ssa.CallInstruction:
		f.call(s, in)
	}
}

// kill forgets the places rooted at, or keyed by, a value being redefined
// (an allocation or key computed again on the next loop iteration).
func (f *flow) kill(s *state, v ssa.Value) {
	for k := range s.p {
		if k.root == v || f.keys[k] == v {
			delete(s.p, k)
		}
	}
}

// basePath returns the root value of an address or value and the path of
// field selections and dereferences from it.
func basePath(v ssa.Value) (ssa.Value, string) {
	switch x := v.(type) {
	case *ssa.FieldAddr:
		root, p := basePath(x.X)
		return root, p + "." + strconv.Itoa(x.Field)
	case *ssa.Field:
		root, p := basePath(x.X)
		return root, p + "." + strconv.Itoa(x.Field)
	case *ssa.UnOp:
		if x.Op == token.MUL {
			root, p := basePath(x.X)
			return root, p + "*"
		}
	}
	return v, ""
}

// placeOf returns the place an address designates when it is a slot of the
// package (a field or package variable) or an element of a slice slot.
func (f *flow) placeOf(addr ssa.Value) (pkey, *slot) {
	if obj := slotVar(addr, f.c.pkg); obj != nil {
		if sl := f.c.slots[obj]; sl != nil {
			root, p := basePath(addr)
			k := pkey{root: root, path: p}
			f.info[k] = sl
			return k, sl
		}
		return pkey{}, nil
	}
	if ia, ok := addr.(*ssa.IndexAddr); ok {
		if ck, sl := f.containerOf(ia.X); sl != nil && !sl.isMap {
			return f.elemOf(ck, sl, ia.Index), sl
		}
	}
	return pkey{}, nil
}

// containerOf returns the container place a map or slice value was loaded
// from.
func (f *flow) containerOf(v ssa.Value) (pkey, *slot) {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return pkey{}, nil
	}
	k, sl := f.placeOf(ld.X)
	if sl == nil || !sl.container || k.elem {
		return pkey{}, nil
	}
	return k, sl
}

func (f *flow) elemOf(ck pkey, sl *slot, key ssa.Value) pkey {
	k := pkey{root: ck.root, path: ck.path, elem: true}
	if c, ok := key.(*ssa.Const); ok {
		if c.Value == nil {
			k.key = "c:nil"
		} else {
			k.key = "c:" + c.Value.ExactString()
		}
	} else {
		k.key = fmt.Sprintf("v:%p", key)
		f.keys[k] = key
	}
	f.info[k] = sl
	return k
}

func (f *flow) store(s *state, in *ssa.Store) {
	k, sl := f.placeOf(in.Addr)
	if sl == nil {
		return
	}
	val := strip(in.Val)
	if sl.container && !k.elem {
		f.storeContainer(s, in, k, sl, val)
		return
	}
	pre := f.get(s, k)
	if f.report && !k.elem {
		f.storePre[in] = pre
	}
	a := f.c.acquisition(f.fn, val)
	isNil := isNilConst(val)
	bad := live
	if isNil && !k.elem {
		bad |= bUnknown
	}
	if f.report && pre.b&bad != 0 && !f.mentions(in.Val, k, 4) {
		what := overwritten
		switch {
		case k.elem:
			what = replaced
		case isNil:
			what = setNil
		}
		f.findings[in] = finding{instr: in, pos: in.Pos(), what: what, slot: sl, pre: pre, fresh: isNil || a != nil}
	}
	switch {
	case isNil:
		f.set(s, k, pstate{b: bNil})
	case a != nil && f.c.savedExcept(a.Value, sl, true, map[ssa.Value]bool{}):
		// also handed to another owner (a goroutine that closes it): the
		// slot holds a copy
		f.set(s, k, pstate{b: bUnknown})
	case a != nil:
		f.set(s, k, pstate{b: bHeld, held: []held{{pos: a.Pos, err: a.Err}}})
		if k.elem {
			f.addHeld(s, k.container())
		}
	default:
		f.set(s, k, pstate{b: bUnknown})
	}
}

func (f *flow) addHeld(s *state, ck pkey) {
	p := f.get(s, ck)
	p.b = p.b&^(bNil|bReleased) | bHeld
	f.set(s, ck, p)
}

// storeContainer handles an assignment to a container slot itself:
// appending to it and reslicing it keep its entries; anything else drops
// them.
func (f *flow) storeContainer(s *state, in *ssa.Store, k pkey, sl *slot, val ssa.Value) {
	direct := false
	if sli, ok := val.(*ssa.Slice); ok && f.loadsPlace(sli.X, k) && isZeroConst(sli.High) {
		direct = true // s.conns = s.conns[:0]
	}
	if !direct && f.derives(val, k, map[ssa.Value]bool{}) {
		// append(s.conns, c), s.conns[1:], a filtered copy: the entries kept
		// are still owned.
		if call, ok := val.(*ssa.Call); ok && f.appendsAcquisition(call, sl) {
			f.addHeld(s, k)
		}
		return
	}
	pre := f.get(s, k)
	if f.report && pre.b&(live|bUnknown) != 0 {
		f.findings[in] = finding{instr: in, pos: in.Pos(), what: cleared, slot: sl, pre: pre}
	}
	f.clearContainer(s, k, val)
}

func (f *flow) clearContainer(s *state, k pkey, val ssa.Value) {
	for e := range s.p {
		if e.elem && e.root == k.root && e.path == k.path {
			delete(s.p, e)
		}
	}
	switch val.(type) {
	case *ssa.MakeMap, *ssa.MakeSlice:
		f.set(s, k, pstate{b: bNil})
	default:
		if isNilConst(val) {
			f.set(s, k, pstate{b: bNil})
		} else {
			f.set(s, k, pstate{b: bUnknown})
		}
	}
}

// appendsAcquisition reports whether call appends an acquisition that no
// call takes over to a container of slot sl.
func (f *flow) appendsAcquisition(call *ssa.Call, sl *slot) bool {
	if len(call.Call.Args) < 2 {
		return false
	}
	sli, ok := call.Call.Args[1].(*ssa.Slice)
	if !ok {
		return false
	}
	alloc, ok := sli.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *alloc.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, r2 := range *ia.Referrers() {
			if st, ok := r2.(*ssa.Store); ok {
				if a := f.c.acquisition(f.fn, strip(st.Val)); a != nil && !f.c.takenOver(a.Value, sl, map[ssa.Value]bool{}) {
					return true
				}
			}
		}
	}
	return false
}

// derives reports whether the slice or map v is built from the current
// value of container place k (appended to, resliced, or filtered in place).
func (f *flow) derives(v ssa.Value, k pkey, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	if f.loadsPlace(v, k) {
		return true
	}
	switch x := v.(type) {
	case *ssa.Slice:
		return f.derives(x.X, k, seen)
	case *ssa.Call:
		if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
			return f.derives(x.Call.Args[0], k, seen)
		}
	case *ssa.Phi:
		for _, e := range x.Edges {
			if f.derives(e, k, seen) {
				return true
			}
		}
	}
	return false
}

// loadsPlace reports whether v is a load of place k.
func (f *flow) loadsPlace(v ssa.Value, k pkey) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	got, sl := f.placeOf(ld.X)
	return sl != nil && got == k
}

// mentions reports whether v is computed from a load of place k (the new
// value wraps the old one: c.conn = tls.Client(c.conn, cfg)).
func (f *flow) mentions(v ssa.Value, k pkey, depth int) bool {
	if depth == 0 || v == nil {
		return false
	}
	if f.loadsPlace(v, k) {
		return true
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	var ops []*ssa.Value
	for _, op := range instr.Operands(ops) {
		if op != nil && *op != nil && f.mentions(*op, k, depth-1) {
			return true
		}
	}
	return false
}

func (f *flow) mapUpdate(s *state, in *ssa.MapUpdate) {
	ck, sl := f.containerOf(in.Map)
	if sl == nil || !sl.isMap {
		return
	}
	k := f.elemOf(ck, sl, in.Key)
	pre := f.get(s, k)
	val := strip(in.Value)
	a := f.c.acquisition(f.fn, val)
	if f.report && pre.b&live != 0 && !f.mentions(in.Value, k, 4) {
		f.findings[in] = finding{instr: in, pos: in.Pos(), what: replaced, slot: sl, pre: pre, fresh: isNilConst(val) || a != nil}
	}
	switch {
	case isNilConst(val):
		f.set(s, k, pstate{b: bNil})
	case a != nil && f.c.takenOver(a.Value, sl, map[ssa.Value]bool{}):
		// also taken over by a call: the entry is a borrowed copy
		f.set(s, k, pstate{b: bUnknown})
	case a != nil:
		f.set(s, k, pstate{b: bHeld, held: []held{{pos: a.Pos, err: a.Err}}})
		f.addHeld(s, ck)
	default:
		f.set(s, k, pstate{b: bUnknown})
	}
}

// load handles a read of a scalar slot or a slice element: a value saved
// to be released or handed over leaves the slot released; a method call
// on it shows it was not nil.
func (f *flow) load(s *state, in *ssa.UnOp) {
	k, sl := f.placeOf(in.X)
	if sl == nil || (sl.container && !k.elem) {
		return
	}
	f.read(s, k, sl, in)
}

func (f *flow) read(s *state, k pkey, sl *slot, v ssa.Value) {
	if f.c.saved(v, sl, map[ssa.Value]bool{}) {
		f.set(s, k, pstate{b: bReleased})
		if k.elem {
			// releasing the elements one by one, as in a range loop
			f.set(s, k.container(), pstate{b: bReleased})
		}
		return
	}
	if usedAsNonNil(v) {
		p := f.get(s, k)
		if p.b&bUnknown != 0 {
			p.b = p.b&^bUnknown | bNonNil
			f.set(s, k, p)
		}
	}
}

func (f *flow) lookup(s *state, in *ssa.Lookup) {
	ck, sl := f.containerOf(in.X)
	if sl == nil || !sl.isMap {
		return
	}
	k := f.elemOf(ck, sl, in.Index)
	var v ssa.Value = in
	if in.CommaOk {
		v = nil
		for _, r := range *in.Referrers() {
			if e, ok := r.(*ssa.Extract); ok && e.Index == 0 {
				v = e
			}
		}
	}
	if v != nil {
		f.read(s, k, sl, v)
	}
}

// rangeKey handles the key of a range over a map slot: the entry exists,
// and is released when the loop releases its value.
func (f *flow) rangeKey(s *state, in *ssa.Extract) {
	next, ok := in.Tuple.(*ssa.Next)
	if !ok || next.IsString || in.Index != 1 {
		return
	}
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return
	}
	ck, sl := f.containerOf(rng.X)
	if sl == nil || !sl.isMap {
		return
	}
	k := f.elemOf(ck, sl, in)
	for _, r := range *next.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == 2 && f.c.saved(e, sl, map[ssa.Value]bool{}) {
			f.set(s, k, pstate{b: bReleased})
			f.set(s, ck, pstate{b: bReleased})
			return
		}
	}
	f.set(s, k, pstate{b: bNonNil})
}

func (f *flow) call(s *state, in ssa.CallInstruction) {
	common := in.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "delete":
			ck, sl := f.containerOf(common.Args[0])
			if sl == nil || !sl.isMap {
				return
			}
			k := f.elemOf(ck, sl, common.Args[1])
			pre := f.get(s, k)
			if f.report && pre.b&live != 0 {
				if _, isCall := in.(*ssa.Call); isCall {
					f.findings[in] = finding{instr: in, pos: in.Pos(), what: deleted, slot: sl, pre: pre, fresh: true}
				}
			}
			f.set(s, k, pstate{b: bNil})
		case "clear":
			ck, sl := f.containerOf(common.Args[0])
			if sl == nil {
				return
			}
			pre := f.get(s, ck)
			if f.report && pre.b&(live|bUnknown) != 0 {
				f.findings[in] = finding{instr: in, pos: in.Pos(), what: cleared, slot: sl, pre: pre}
			}
			f.clearContainer(s, ck, nil)
		}
		return
	}
	// last, so that what the call is otherwise assumed to do does not
	// hide the releases its function literals make
	defer f.closureReleases(s, common)
	f.aliasRelease(s, common)
	f.releaseLocal(s, common)
	if g, isGo := in.(*ssa.Go); isGo {
		f.goStarted(s, g)
		if f.report {
			f.recordEvidence(s, common)
		}
		return
	}
	callee := common.StaticCallee()
	if callee != nil && callee.Pkg == f.fn.Pkg && callee != f.fn && len(callee.Blocks) > 0 && callee.Parent() == nil {
		if eff, ok := f.c.summaryOf(callee); ok {
			if f.report {
				f.recordEvidence(s, common)
			}
			f.apply(s, common.Args, eff, callErr(in))
			return
		}
	}
	if f.calleeIsStd(common) {
		return
	}
	// A call the check cannot see into may change what the places rooted
	// at its arguments hold.
	args := append([]ssa.Value{}, common.Args...)
	if common.IsInvoke() {
		args = append(args, common.Value)
	}
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		args = append(args, mc.Bindings...)
	}
	for _, a := range args {
		// Given a pointer, the callee may change what is reachable through
		// it, not the slot the pointer was read from.
		root, p := basePath(a)
		for k := range f.info {
			if k.root == root && len(k.path) > len(p) && strings.HasPrefix(k.path, p) {
				f.set(s, k, pstate{b: bUnknown})
			}
		}
	}
}

func (f *flow) calleeIsStd(common *ssa.CallCommon) bool {
	var pkg *types.Package
	switch {
	case common.IsInvoke():
		pkg = common.Method.Pkg()
		if pkg == nil { // method of a universe interface (error)
			return true
		}
	default:
		callee := common.StaticCallee()
		if callee == nil || callee.Object() == nil {
			return false
		}
		pkg = callee.Object().Pkg()
	}
	return pkg != nil && resource.IsStd(pkg.Path())
}

// aliasRelease: a release of some value of a slot's type (not read from the
// slot) may be the release of the slot's own value under another name.
func (f *flow) aliasRelease(s *state, common *ssa.CallCommon) {
	var v ssa.Value
	name := ""
	switch {
	case common.IsInvoke():
		v, name = common.Value, common.Method.Name()
	default:
		if callee := common.StaticCallee(); callee != nil {
			if callee.Signature.Recv() != nil && len(common.Args) > 0 {
				v, name = common.Args[0], callee.Name()
			}
		} else if sig, ok := common.Value.Type().Underlying().(*types.Signature); ok && sig.Params().Len() == 0 {
			v = common.Value
		}
	}
	if v == nil {
		return
	}
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if _, sl := f.placeOf(ld.X); sl != nil {
			return
		}
	}
	for _, sl := range f.c.slotList {
		if !types.Identical(sl.typ, v.Type()) {
			continue
		}
		if (name == "" && sl.kind.Func) || (name != "" && sl.kind.IsReleaseMethod(name)) {
			s.rel[sl] = true
			for k := range s.p {
				if f.info[k] == sl {
					f.set(s, k, pstate{b: bReleased})
				}
			}
		}
	}
}

// apply applies a callee's effects on the places reachable from its
// arguments and on package variables.
func (f *flow) apply(s *state, args []ssa.Value, eff map[relKey]effect, errv ssa.Value) {
	for rk, e := range eff {
		k, ok := f.fromRel(rk, args)
		if !ok {
			continue
		}
		f.info[k] = e.slot
		out := pstate{b: e.st.b &^ bEntry}
		for _, h := range e.st.held {
			if h.onSuccess {
				h.onSuccess = false
				h.err = errv
			}
			out.held = append(out.held, h)
		}
		if e.st.b&bEntry != 0 {
			out = out.union(f.get(s, k))
		}
		f.set(s, k, out)
	}
}

// recordEvidence passes what the places reachable from a callee's
// arguments may hold at the call to the callee's entry.
func (f *flow) recordEvidence(s *state, common *ssa.CallCommon) {
	callee := common.StaticCallee()
	if callee == nil || callee.Pkg != f.fn.Pkg || len(callee.Blocks) == 0 {
		return
	}
	ev := f.evidence[callee]
	if ev == nil {
		ev = map[relKey]effect{}
		f.evidence[callee] = ev
	}
	for k, sl := range f.info {
		if k.elem {
			continue
		}
		// Only a resource stored on the path counts: a slot merely checked
		// non-nil before a call often goes with arguments that keep the
		// callee from storing (a flag the check does not follow).
		p := f.get(s, k)
		if p.b&bHeld == 0 {
			continue
		}
		p.b = bHeld
		if g, ok := k.root.(*ssa.Global); ok {
			rk := relKey{param: -1, global: g, path: k.path}
			ev[rk] = effect{slot: sl, st: ev[rk].st.union(p)}
			continue
		}
		for i, a := range common.Args {
			root, ap := basePath(a)
			if root == k.root && strings.HasPrefix(k.path, ap) {
				rk := relKey{param: i, path: k.path[len(ap):]}
				ev[rk] = effect{slot: sl, st: ev[rk].st.union(p)}
			}
		}
	}
}

func (f *flow) exitState(s *state, ret *ssa.Return) {
	ei := errIndex(f.fn.Signature)
	success := ei >= 0 && ei < len(ret.Results) && knownNilError(ret, ret.Results[ei])
	for k, sl := range f.info {
		rk, ok := f.relOf(k)
		if !ok {
			continue
		}
		st := f.get(s, k)
		if success && len(st.held) > 0 {
			hs := make([]held, len(st.held))
			for i, h := range st.held {
				h.onSuccess = true
				hs[i] = h
			}
			st.held = hs
		}
		e := f.exit[rk]
		e.slot = sl
		e.st = e.st.union(st)
		f.exit[rk] = e
	}
}

// knownNilError reports whether the error a return returns is the nil
// constant, also through a named result assigned in the return's block.
func knownNilError(ret *ssa.Return, v ssa.Value) bool {
	if isNilConst(v) {
		return true
	}
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	instrs := ret.Block().Instrs
	for i := len(instrs) - 1; i >= 0; i-- {
		if st, ok := instrs[i].(*ssa.Store); ok && st.Addr == ld.X {
			return isNilConst(st.Val)
		}
	}
	return false
}

// errIndex returns the index of the error result of a function (its last
// result, when of an error type, also when it is the only one), or -1.
func errIndex(sig *types.Signature) int {
	n := sig.Results().Len()
	if n >= 1 && resource.IsErrorType(sig.Results().At(n-1).Type()) {
		return n - 1
	}
	return -1
}

// callErr returns the error result of a call, or nil.
func callErr(call ssa.CallInstruction) ssa.Value {
	c, ok := call.(*ssa.Call)
	if !ok {
		return nil
	}
	ei := errIndex(c.Call.Signature())
	if ei < 0 {
		return nil
	}
	if c.Call.Signature().Results().Len() == 1 {
		return c
	}
	for _, r := range *c.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == ei {
			return e
		}
	}
	return nil
}

// refine narrows the state on the edge of an if whose condition is cond.
func (f *flow) refine(s *state, cond ssa.Value, edge bool) {
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			f.refine(s, c.X, !edge)
		}
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return
		}
		x, y := c.X, c.Y
		if isNilConst(x) {
			x, y = y, x
		}
		if !isNilConst(y) {
			return
		}
		nonNil := edge == (c.Op == token.NEQ)
		if !nonNil {
			f.emptyCompanions(s, x)
		}
		if k, ok := f.readPlace(x); ok {
			f.narrow(s, k, nonNil)
			return
		}
		if !nonNil {
			return
		}
		// err != nil: the resources acquired with that error do not exist.
		for k, p := range s.p {
			var keep []held
			for _, h := range p.held {
				if h.err != x {
					keep = append(keep, h)
				}
			}
			if len(keep) == len(p.held) {
				continue
			}
			p.held = keep
			if len(keep) == 0 && p.b&bHeld != 0 {
				p.b = p.b&^bHeld | bNil
			}
			s.p[k] = p
		}
	case *ssa.Extract:
		if lk, ok := c.Tuple.(*ssa.Lookup); ok && lk.CommaOk && c.Index == 1 {
			if ck, sl := f.containerOf(lk.X); sl != nil && sl.isMap {
				f.narrow(s, f.elemOf(ck, sl, lk.Index), edge)
			}
		}
	}
}

// emptyCompanions records, where the field x was loaded from is nil, that
// the slots filled only together with it hold nothing either.
func (f *flow) emptyCompanions(s *state, x ssa.Value) {
	ld, ok := x.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return
	}
	g := slotVar(fa, f.c.pkg)
	if g == nil {
		return
	}
	root, p := basePath(fa.X)
	for _, fv := range f.c.companions[g] {
		i := fieldIndex(fa.X.Type(), fv)
		sl := f.c.slots[fv]
		if i < 0 || sl == nil {
			continue
		}
		k := pkey{root: root, path: p + "." + strconv.Itoa(i)}
		f.info[k] = sl
		f.set(s, k, pstate{b: bNil})
	}
}

func (f *flow) narrow(s *state, k pkey, nonNil bool) {
	if !nonNil {
		f.set(s, k, pstate{b: bNil})
		return
	}
	p := f.get(s, k)
	p.b &^= bNil
	if p.b&bUnknown != 0 {
		p.b = p.b&^bUnknown | bNonNil
	}
	if p.b&bHeld == 0 {
		p.held = nil
	}
	f.set(s, k, p)
}

// readPlace returns the place a value was read from: a load of a scalar
// slot or slice element, or a lookup of a map entry.
func (f *flow) readPlace(v ssa.Value) (pkey, bool) {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if k, sl := f.placeOf(x.X); sl != nil && (k.elem || !sl.container) {
				return k, true
			}
		}
	case *ssa.Lookup:
		if ck, sl := f.containerOf(x.X); sl != nil && sl.isMap && !x.CommaOk {
			return f.elemOf(ck, sl, x.Index), true
		}
	}
	return pkey{}, false
}

// usedAsNonNil reports whether v has a method called on it or a field read.
func usedAsNonNil(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		switch u := r.(type) {
		case *ssa.FieldAddr, *ssa.Field:
			return true
		case ssa.CallInstruction:
			c := u.Common()
			if c.IsInvoke() && c.Value == v {
				return true
			}
			if callee := c.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && len(c.Args) > 0 && c.Args[0] == v {
				return true
			}
		}
	}
	return false
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value == nil
}

func isZeroConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0
}

// obtained reports whether the function obtained v itself: an acquisition
// or the result of a call (os.NewFile, a helper that opens a terminal),
// not a parameter or a value read from another place.
func (f *flow) obtained(v ssa.Value) bool {
	v = strip(v)
	if f.c.acquisition(f.fn, v) != nil {
		return true
	}
	if e, ok := v.(*ssa.Extract); ok {
		v = e.Tuple
	}
	_, ok := v.(*ssa.Call)
	return ok
}

// acquisition returns the acquisition whose owned value v is.
func (c *checker) acquisition(fn *ssa.Function, v ssa.Value) *ownership.Acquisition {
	for _, a := range c.model.Acquisitions(fn) {
		if a.Value != nil && a.Result >= 0 && a.Value == v {
			return a
		}
	}
	return nil
}

// closureReleases handles function literals called in place, deferred or
// handed to a call (sync.Once's Do, a cleanup registry): the slots they
// release through the variables they capture count as released.
func (f *flow) closureReleases(s *state, common *ssa.CallCommon) {
	var closures []*ssa.MakeClosure
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		closures = append(closures, mc)
	}
	for _, a := range common.Args {
		if mc, ok := a.(*ssa.MakeClosure); ok {
			closures = append(closures, mc)
		}
	}
	for _, mc := range closures {
		fn, ok := mc.Fn.(*ssa.Function)
		if !ok {
			continue
		}
		for _, r := range f.c.capturedReleases(fn) {
			if r.free >= len(mc.Bindings) {
				continue
			}
			root, p := basePath(mc.Bindings[r.free])
			k := pkey{root: root, path: p + r.path}
			f.info[k] = r.slot
			f.set(s, k, pstate{b: bReleased})
		}
	}
}

type capturedRelease struct {
	free int
	path string
	slot *slot
}

// capturedReleases returns the slots a function literal releases (or saves)
// through its free variables.
func (c *checker) capturedReleases(fn *ssa.Function) []capturedRelease {
	if rs, ok := c.captured[fn]; ok {
		return rs
	}
	var out []capturedRelease
	c.captured[fn] = nil
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ld, ok := instr.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue
			}
			obj := slotVar(ld.X, c.pkg)
			sl := c.slots[obj]
			if obj == nil || sl == nil || sl.container {
				continue
			}
			root, p := basePath(ld.X)
			fv, ok := root.(*ssa.FreeVar)
			if !ok || !c.saved(ld, sl, map[ssa.Value]bool{}) {
				continue
			}
			for i, x := range fn.FreeVars {
				if x == fv {
					out = append(out, capturedRelease{free: i, path: p, slot: sl})
				}
			}
		}
	}
	c.captured[fn] = out
	return out
}
