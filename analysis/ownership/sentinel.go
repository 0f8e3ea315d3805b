package ownership

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Sentinel errors: `if _, err := dial(); err != errNoCreds { t.Fatal(…) }`
// goes on only where err equals errNoCreds, which is not nil, so the
// acquisition failed there. A package-level error variable is known not
// to be nil when it is initialized with errors.New, fmt.Errorf or a
// composite value and never assigned again in its package (a NonNilVar
// fact tells other packages), or when it is an exported error variable of
// the standard library (io.EOF, context.Canceled, sql.ErrNoRows: all
// sentinels).

// NonNilVar marks a package-level error variable that is never nil.
type NonNilVar struct{}

// AFact marks NonNilVar as an analysis fact.
func (*NonNilVar) AFact() {}

func (*NonNilVar) String() string { return "non-nil" }

// exportSentinels exports a NonNilVar fact for every package-level error
// variable of the package that is never nil.
func (m *Model) exportSentinels() {
	info := m.pass.TypesInfo
	candidates := map[*types.Var]bool{}
	for _, file := range m.pass.Files {
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, name := range vs.Names {
					v, ok := info.Defs[name].(*types.Var)
					if ok && resource.IsErrorType(v.Type()) && types.IsInterface(v.Type()) && nonNilExpr(info, vs.Values[i]) {
						candidates[v] = true
					}
				}
			}
		}
	}
	if len(candidates) == 0 {
		return
	}
	// Drop the variables assigned (or whose address is taken) anywhere
	// else in the package.
	for _, file := range m.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
						if v, ok := info.Uses[id].(*types.Var); ok {
							delete(candidates, v)
						}
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
					if v, ok := info.Uses[id].(*types.Var); ok {
						delete(candidates, v)
					}
				}
			}
			return true
		})
	}
	for v := range candidates {
		m.pass.ExportObjectFact(v, new(NonNilVar))
	}
}

// nonNilExpr reports whether e, an initializer, is surely not nil: a
// call of errors.New or fmt.Errorf, or a composite value (or its address).
func nonNilExpr(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		return ok && e.Op == token.AND
	case *ast.CallExpr:
		var id *ast.Ident
		switch fn := ast.Unparen(e.Fun).(type) {
		case *ast.Ident:
			id = fn
		case *ast.SelectorExpr:
			id = fn.Sel
		}
		if id == nil {
			return false
		}
		f, ok := info.Uses[id].(*types.Func)
		if !ok || f.Pkg() == nil {
			return false
		}
		key := f.Pkg().Path() + "." + f.Name()
		return key == "errors.New" || key == "fmt.Errorf"
	}
	return false
}

// nonNil reports whether v is surely not nil: a sentinel error variable, or
// a value boxed in an interface.
func (m *Model) nonNil(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return true
	case *ssa.UnOp:
		g, ok := x.X.(*ssa.Global)
		if !ok || x.Op != token.MUL {
			return false
		}
		obj, ok := g.Object().(*types.Var)
		if !ok || obj.Pkg() == nil {
			return false
		}
		if resource.IsStd(obj.Pkg().Path()) {
			return obj.Exported() && resource.IsErrorType(obj.Type())
		}
		return m.pass.ImportObjectFact(obj, new(NonNilVar))
	}
	return false
}
