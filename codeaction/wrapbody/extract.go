package wrapbody

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/assigned"
)

// extractDepth and extractLines say when a function literal would read
// badly: a loop already this many tabs deep (the literal's body would sit
// two deeper), or a body this long (a literal spanning a screen hides the
// loop it is in). Such a body is extracted into a function of its own, as
// gopls's "extract function" does, when that is safe.
const (
	extractDepth = 3
	extractLines = 40
)

// extracted is the function a loop body moves into.
type extracted struct {
	name   string
	params []string // "name type", or "a, b type" for neighbours of one type
	args   []string
}

// extraction decides whether the body moves into a named function, and
// returns its name, parameters and arguments; an error says why the body
// stays a function literal. The body's free variables (the enclosing
// function's parameters and locals it uses) become parameters, passed by
// value: that is only safe when the body never changes them (no
// assignment, no address taken, no pointer method on a value, no
// goroutine or function literal that could see a later change), and when
// their types can be written outside the function (no local types, every
// package imported by the file). The enclosing function must not be
// generic.
func (r Request) extraction(body *ast.BlockStmt, sh *shape, indent string, lines int) (*extracted, error) {
	if r.Decl == nil || r.File == nil || r.Pkg == nil {
		return nil, errors.New("the enclosing function is a literal")
	}
	if len(indent) < extractDepth && lines < extractLines {
		return nil, errors.New("a function literal reads well here")
	}
	if strings.Trim(indent, "\t") != "" {
		return nil, errors.New("the loop is not indented with tabs")
	}
	if r.Decl.Type.TypeParams != nil || r.Decl.Recv != nil && len(r.Decl.Recv.List) == 1 && isGenericRecv(r.Info, r.Decl.Recv.List[0].Type) {
		return nil, errors.New("the enclosing function is generic")
	}
	var free []*types.Var
	seen := map[*types.Var]bool{}
	var problem error
	ast.Inspect(body, func(n ast.Node) bool {
		if problem != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			if r.usesLocals(n, body) {
				problem = errors.New("a function literal or goroutine in the body uses the enclosing function's variables")
			}
		case *ast.Ident:
			switch obj := r.Info.Uses[n].(type) {
			case *types.Var:
				if r.local(obj) && !inside(obj.Pos(), body) && !seen[obj] {
					seen[obj] = true
					free = append(free, obj)
				}
			case *types.TypeName, *types.Const:
				if obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() && obj.Parent() != types.Universe {
					problem = fmt.Errorf("the body uses %s, declared in the enclosing function", obj.Name())
				}
			}
		}
		return true
	})
	if problem != nil {
		return nil, problem
	}
	// A bare return carried out of the body returns the named results.
	if sh.bare && r.FuncType != nil && r.FuncType.Results != nil {
		for _, f := range r.FuncType.Results.List {
			for _, n := range f.Names {
				if v, ok := r.Info.Defs[n].(*types.Var); ok && !seen[v] {
					seen[v] = true
					free = append(free, v)
				}
			}
		}
	}
	ex := &extracted{name: r.freeFuncName(r.Decl.Name.Name + "Iteration")}
	var paramTypes []string
	for _, v := range free {
		if err := r.passable(body, v); err != nil {
			return nil, err
		}
		t, err := r.typeText(v.Type())
		if err != nil {
			return nil, err
		}
		ex.params, paramTypes = appendParam(ex.params, paramTypes, v.Name(), t)
		ex.args = append(ex.args, v.Name())
	}
	return ex, nil
}

// appendParam adds parameter name of type t, sharing the type with the
// previous parameter when it has the same one (name, key string), as gofmt
// users write it. types holds the type of each entry of params.
func appendParam(params, types []string, name, t string) ([]string, []string) {
	if n := len(params); n > 0 && types[n-1] == t {
		params[n-1] = strings.TrimSuffix(params[n-1], " "+t) + ", " + name + " " + t
		return params, types
	}
	return append(params, name+" "+t), append(types, t)
}

// local reports whether v is a variable of the enclosing function: a
// parameter, result, receiver or local, not a field or package variable.
func (r Request) local(v *types.Var) bool {
	return !v.IsField() && v.Pkg() == r.Pkg && v.Parent() != r.Pkg.Scope() && inside(v.Pos(), r.Decl)
}

func inside(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// usesLocals reports whether n uses a variable of the enclosing function
// declared outside body.
func (r Request) usesLocals(n ast.Node, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok {
			if v, ok := r.Info.Uses[id].(*types.Var); ok && r.local(v) && !inside(v.Pos(), body) {
				found = true
			}
		}
		return !found
	})
	return found
}

// passable reports why v cannot be passed by value to the extracted
// function, or nil: the body assigns it, takes its address, calls a
// pointer method on it, or changes a part of a struct or array value.
func (r Request) passable(body *ast.BlockStmt, v *types.Var) error {
	switch v.Type().Underlying().(type) {
	case *types.Struct, *types.Array:
		return fmt.Errorf("%s is a struct or array value: a copy would not see the body's changes", v.Name())
	}
	if assigned.Where(r.Info, body, v) != nil {
		return fmt.Errorf("the body changes %s or takes its address", v.Name())
	}
	return nil
}

// typeText writes t as the file spells it, or says why it cannot be
// written outside the enclosing function.
func (r Request) typeText(t types.Type) (string, error) {
	if err := r.visible(t, map[types.Type]bool{}); err != nil {
		return "", err
	}
	var missing error
	text := types.TypeString(t, func(p *types.Package) string {
		if p == r.Pkg {
			return ""
		}
		for _, imp := range r.File.Imports {
			if obj, ok := r.Info.Implicits[imp].(*types.PkgName); ok && obj.Imported() == p {
				return obj.Name()
			}
			if imp.Name != nil {
				if obj, ok := r.Info.Defs[imp.Name].(*types.PkgName); ok && obj.Imported() == p {
					if obj.Name() == "_" || obj.Name() == "." {
						break
					}
					return obj.Name()
				}
			}
		}
		missing = fmt.Errorf("the file does not import %s", p.Path())
		return p.Name()
	})
	return text, missing
}

// visible reports a named type of t declared inside a function.
func (r Request) visible(t types.Type, seen map[types.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Alias:
		return r.visible(types.Unalias(t), seen)
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil && obj.Parent() != obj.Pkg().Scope() {
			return fmt.Errorf("type %s is declared inside a function", obj.Name())
		}
		for i := range t.TypeArgs().Len() {
			if err := r.visible(t.TypeArgs().At(i), seen); err != nil {
				return err
			}
		}
	case *types.TypeParam:
		return errors.New("a type parameter")
	case *types.Pointer:
		return r.visible(t.Elem(), seen)
	case *types.Slice:
		return r.visible(t.Elem(), seen)
	case *types.Array:
		return r.visible(t.Elem(), seen)
	case *types.Chan:
		return r.visible(t.Elem(), seen)
	case *types.Map:
		if err := r.visible(t.Key(), seen); err != nil {
			return err
		}
		return r.visible(t.Elem(), seen)
	case *types.Signature:
		for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
			for i := range tup.Len() {
				if err := r.visible(tup.At(i).Type(), seen); err != nil {
					return err
				}
			}
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if err := r.visible(t.Field(i).Type(), seen); err != nil {
				return err
			}
		}
	case *types.Interface:
		for i := range t.NumMethods() {
			if err := r.visible(t.Method(i).Type(), seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// freeFuncName returns name, or name with a number, that no declaration
// of the package uses.
func (r Request) freeFuncName(name string) string {
	if c, size := utf8.DecodeRuneInString(name); size > 0 && unicode.IsUpper(c) {
		name = string(unicode.ToLower(c)) + name[size:]
	}
	scope := r.Pkg.Scope().Innermost(r.Loop.Pos())
	taken := func(n string) bool {
		if scope == nil {
			return r.Pkg.Scope().Lookup(n) != nil
		}
		_, obj := scope.LookupParent(n, r.Loop.Pos())
		return obj != nil || r.Pkg.Scope().Lookup(n) != nil
	}
	out := name
	for i := 2; taken(out); i++ {
		out = fmt.Sprintf("%s%d", name, i)
	}
	return out
}

func isGenericRecv(info *types.Info, recv ast.Expr) bool {
	t := info.TypeOf(recv)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.TypeParams().Len() > 0
}
