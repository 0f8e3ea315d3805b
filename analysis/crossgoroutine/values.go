package crossgoroutine

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A variable of a function, as its SSA form sees it, is named by its root:
// a cell (*ssa.Alloc, or the *ssa.FreeVar of a closure), read through
// loads, for a variable that a closure captures; the value itself (a
// parameter, a call result) otherwise.

// unwrap strips the conversions that keep a value's identity.
func unwrap(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.ChangeType:
			v = c.X
		case *ssa.MakeInterface:
			v = c.X
		case *ssa.ChangeInterface:
			v = c.X
		default:
			return v
		}
	}
}

// rootOf returns the root of the variable that v reads.
func rootOf(v ssa.Value) ssa.Value {
	v = unwrap(v)
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL && isCell(load.X) {
		return load.X
	}
	return v
}

func isCell(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Alloc:
		// A variable's cell is commented with the variable's name; the
		// allocations of &T{}, new(T) and slice literals are values.
		switch x.Comment {
		case "complit", "new", "slicelit", "varargs":
			return false
		}
		return true
	case *ssa.FreeVar:
		return true
	}
	return false
}

// varType is the type of the variable a root names.
func varType(root ssa.Value) types.Type {
	if isCell(root) {
		if p, ok := root.Type().Underlying().(*types.Pointer); ok {
			return p.Elem()
		}
	}
	return root.Type()
}

// borrowed reports whether root is a value the function reads from a
// field, a global or a container, or its method receiver: values it does
// not own.
func borrowed(fn *ssa.Function, root ssa.Value) bool {
	if p, ok := root.(*ssa.Parameter); ok {
		return fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == p
	}
	switch r := root.(type) {
	case *ssa.UnOp:
		if r.Op == token.MUL {
			switch r.X.(type) {
			case *ssa.FieldAddr, *ssa.Global, *ssa.IndexAddr:
				return true
			}
		}
	case *ssa.Field, *ssa.Index, *ssa.Lookup:
		return true
	}
	return false
}

// useKind classifies what an instruction does with a variable.
type useKind uint8

const (
	useOther   useKind = iota // an operation on the value (a write, a call that takes it)
	useRead                   // a read that waits for the other side (Read, Recv, Accept, an io.Reader argument)
	useRelease                // releases it
	useMeta                   // reads what the value remembers (Addr, Name): harmless after a release
	useField                  // reads a field: a use by a goroutine, not an operation that a release breaks
)

// use is one instruction's use of a variable.
type use struct {
	instr ssa.Instruction
	kind  useKind
}

// metadataMethods read what a value remembers about itself, or hand out a
// channel to wait on; calling them after a release is harmless.
var metadataMethods = map[string]bool{
	"Addr": true, "LocalAddr": true, "RemoteAddr": true, "Name": true, "String": true, "Fd": true, "Done": true, "Err": true,
}

// readPrefixes start the names of methods that wait for the other side of
// a stream to send something.
var readPrefixes = []string{"Read", "Recv", "Receive", "Accept"}

// refs returns the values of fn that stand for the variable root: its
// loads, their identity-preserving conversions and, for a response, the
// loads of its Body field. body reports which of them are Body loads.
func refs(root ssa.Value, k *resource.Kind) (all []ssa.Value, body map[ssa.Value]bool) {
	body = map[ssa.Value]bool{}
	seen := map[ssa.Value]bool{}
	var add func(v ssa.Value, isBody bool)
	add = func(v ssa.Value, isBody bool) {
		if seen[v] {
			return
		}
		seen[v] = true
		all = append(all, v)
		if isBody {
			body[v] = true
		}
		rs := v.Referrers()
		if rs == nil {
			return
		}
		for _, r := range *rs {
			switch r := r.(type) {
			case *ssa.ChangeType:
				add(r, isBody)
			case *ssa.MakeInterface:
				add(r, isBody)
			case *ssa.ChangeInterface:
				add(r, isBody)
			case *ssa.FieldAddr:
				if k.Body && !isBody && fieldName(r) == "Body" {
					for _, l := range loadsOf(r) {
						add(l, true)
					}
				}
			}
		}
	}
	if isCell(root) {
		for _, l := range loadsOf(root) {
			add(l, false)
		}
	} else {
		add(root, false)
	}
	return all, body
}

// loadsOf returns the loads through pointer p.
func loadsOf(p ssa.Value) []ssa.Value {
	var out []ssa.Value
	rs := p.Referrers()
	if rs == nil {
		return nil
	}
	for _, r := range *rs {
		if l, ok := r.(*ssa.UnOp); ok && l.Op == token.MUL && l.X == p {
			out = append(out, l)
		}
	}
	return out
}

func fieldName(fa *ssa.FieldAddr) string {
	st, ok := types.Unalias(fa.X.Type()).Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	s, ok := st.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= s.NumFields() {
		return ""
	}
	return s.Field(fa.Field).Name()
}

// usesOf returns the uses of the variable root in its function, in no
// particular order.
func (c *checker) usesOf(root ssa.Value, k *resource.Kind) []use {
	all, body := refs(root, k)
	var out []use
	for _, v := range all {
		rs := v.Referrers()
		if rs == nil {
			continue
		}
		for _, r := range *rs {
			switch r := r.(type) {
			case ssa.CallInstruction:
				if kind, ok := c.callUse(r.Common(), v, k, body[v]); ok {
					out = append(out, use{r, kind})
				}
			case *ssa.FieldAddr:
				if !k.Body {
					out = append(out, use{r, useField}) // ts.URL of a test server, say
				}
			}
		}
	}
	return out
}

// callUse classifies what call does with v, a value standing for a
// variable of kind k (the variable's Body when isBody).
func (c *checker) callUse(call *ssa.CallCommon, v ssa.Value, k *resource.Kind, isBody bool) (useKind, bool) {
	if name, recv := methodOf(call); recv == v {
		switch {
		case (isBody || !k.Body) && c.isReleaseMethod(call, k, name):
			return useRelease, true
		case metadataMethods[name]:
			return useMeta, true
		case isReadName(name):
			return useRead, true
		}
		return useOther, true
	}
	if call.Value == v {
		return useOther, true
	}
	for i, a := range call.Args {
		if a != v {
			continue
		}
		if fn := call.StaticCallee(); fn != nil && c.model != nil {
			if s := c.model.CalleeSummary(fn); s != nil && s.ReleasesParam(i) {
				return useRelease, true // a helper that releases its argument
			}
		}
		if readerParam(call, i) {
			return useRead, true
		}
		return useOther, true
	}
	return 0, false
}

// isReleaseMethod reports whether calling method name releases a value of
// kind k: it is one of the kind's release methods and, when the ownership
// engine knows what the method does (a method of this package, or one it
// summarised in its own), the method releases what its receiver holds. A
// Stop that only pauses releases nothing. (A method that merely ends with
// a release, a read loop that closes when done, is not a release method
// here: that is what shapes 1 and 2 look into.)
func (c *checker) isReleaseMethod(call *ssa.CallCommon, k *resource.Kind, name string) bool {
	if !k.IsReleaseMethod(name) {
		return false
	}
	if fn := call.StaticCallee(); fn != nil && c.model != nil {
		if obj := fn.Object(); obj != nil && obj.Pkg() != nil && !resource.IsStd(obj.Pkg().Path()) {
			if s := c.model.CalleeSummary(fn); s != nil {
				return s.ReleasesReceiver
			}
		}
	}
	return true
}

// methodOf returns the name and receiver of a method call.
func methodOf(call *ssa.CallCommon) (string, ssa.Value) {
	if call.IsInvoke() {
		return call.Method.Name(), call.Value
	}
	if fn := call.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(call.Args) > 0 {
		return strings.TrimSuffix(fn.Name(), "$bound"), call.Args[0]
	}
	return "", nil
}

func isReadName(name string) bool {
	for _, p := range readPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// readerParam reports whether argument i of call is a parameter that can
// only read (its type has a Read method and no Write method): the callee
// waits for data from the other side.
func readerParam(call *ssa.CallCommon, i int) bool {
	sig := call.Signature()
	if !call.IsInvoke() && sig.Recv() != nil {
		i-- // static method call: Args[0] is the receiver
	}
	params := sig.Params()
	if i < 0 || params.Len() == 0 {
		return false
	}
	if i >= params.Len() {
		i = params.Len() - 1
	}
	t := params.At(i).Type()
	if sig.Variadic() && i == params.Len()-1 {
		if s, ok := t.(*types.Slice); ok {
			t = s.Elem()
		}
	}
	if _, ok := t.Underlying().(*types.Interface); !ok {
		return false
	}
	return hasMethod(t, "Read") && !hasMethod(t, "Write")
}

func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// pathKey names the storage a value was read from, so that two loads of
// s.conn compare equal: "" when v is not a variable or a field path.
func pathKey(v ssa.Value) string {
	v = unwrap(v)
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return ""
		}
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if base := pathKey(fa.X); base != "" {
				return base + "." + fieldName(fa)
			}
			return ""
		}
		return pathKey(x.X)
	case *ssa.FieldAddr:
		if base := pathKey(x.X); base != "" {
			return base + "&" + fieldName(x)
		}
		return ""
	case *ssa.Alloc, *ssa.FreeVar, *ssa.Parameter, *ssa.Global, *ssa.Call, *ssa.Extract:
		return fmt.Sprintf("%p", x)
	}
	return ""
}
