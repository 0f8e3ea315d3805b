package crossgoroutine

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

//go:embed doc.go
var doc string

const name = "crossgoroutine"

// Analyzer is the crossgoroutine check over the default resource table.
var Analyzer = newAnalyzer(resource.Default(), ownership.Analyzer)

// New returns the crossgoroutine check for a resource table.
func New(table *resource.Table) *analysis.Analyzer {
	if table == resource.Default() {
		return Analyzer
	}
	return newAnalyzer(table, ownership.New(table))
}

func newAnalyzer(table *resource.Table, own *analysis.Analyzer) *analysis.Analyzer {
	run := func(p *analysis.Pass) (any, error) { return runPass(p, table, own) }
	return checkdoc.NewAnalyzer(name, doc, run, inspect.Analyzer, own)
}

// checker is the state of one package's analysis.
type checker struct {
	*analysis.Pass
	table  *resource.Table
	model  *ownership.Model
	filter *directive.Filter
	order  order
	syntax *syntaxIndex
	src    map[*token.File][]byte
	kinds  map[types.Type]*resource.Kind
}

func runPass(p *analysis.Pass, table *resource.Table, own *analysis.Analyzer) (any, error) {
	ins := p.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	idx := indexSyntax(ins)
	if !idx.spawns {
		return nil, nil // nothing starts a goroutine: nothing to find
	}
	c := &checker{
		Pass:   p,
		table:  table,
		model:  p.ResultOf[own].(*ownership.Model),
		filter: directive.NewFilter(p, name),
		syntax: idx,
		src:    map[*token.File][]byte{},
		kinds:  map[types.Type]*resource.Kind{},
	}
	c.filter.ReportMissingReasons(false)
	for _, fn := range c.model.Functions() {
		if fn.Synthetic != "" || fn.Blocks == nil {
			continue
		}
		for _, s := range c.spawnsOf(fn) {
			c.checkSpawn(fn, s)
		}
	}
	return nil, nil
}

// kindOf is the table's KindOfType, memoized for the pass.
func (c *checker) kindOf(t types.Type) *resource.Kind {
	if k, ok := c.kinds[t]; ok {
		return k
	}
	k := c.table.KindOfType(t)
	c.kinds[t] = k
	return k
}

// trackedKind returns the kind of the variable root when the check follows
// it: a resource released by a method (cancel funcs, signal registrations
// and commands, whose release is itself a call or a wait, are not).
func (c *checker) trackedKind(root ssa.Value) *resource.Kind {
	k := c.kindOf(varType(root))
	if k == nil || k.Func || k.ReleaseFunc != "" || k.IsReleaseMethod("Wait") {
		return nil
	}
	return k
}

// syntaxIndex finds the syntax behind SSA positions.
type syntaxIndex struct {
	spawns bool                         // some go statement or Go method call exists
	gos    map[token.Pos]*ast.GoStmt    // by the position of "go"
	defers map[token.Pos]*ast.DeferStmt // by the position of "defer"
	calls  map[token.Pos]*ast.CallExpr  // by the position of "("
	blocks map[ast.Stmt][]ast.Stmt      // the statement list holding a go or defer statement
	funcs  map[ast.Stmt]*ast.FuncType   // the function a go statement is in
}

func indexSyntax(ins *inspector.Inspector) *syntaxIndex {
	idx := &syntaxIndex{
		gos: map[token.Pos]*ast.GoStmt{}, defers: map[token.Pos]*ast.DeferStmt{}, calls: map[token.Pos]*ast.CallExpr{},
		blocks: map[ast.Stmt][]ast.Stmt{}, funcs: map[ast.Stmt]*ast.FuncType{},
	}
	for cur := range ins.Root().Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		if _, ok := cur.Node().(*ast.GoStmt); ok {
			idx.spawns = true
			break
		}
		if sel, ok := cur.Node().(*ast.CallExpr).Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" {
			idx.spawns = true
			break
		}
	}
	if !idx.spawns {
		return idx
	}
	for cur := range ins.Root().Preorder((*ast.GoStmt)(nil), (*ast.DeferStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			idx.calls[n.Lparen] = n
		case *ast.GoStmt:
			idx.gos[n.Go] = n
			idx.record(n, cur.Parent().Node())
			for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
				switch f := fn.Node().(type) {
				case *ast.FuncDecl:
					idx.funcs[n] = f.Type
				case *ast.FuncLit:
					idx.funcs[n] = f.Type
				}
				break
			}
		case *ast.DeferStmt:
			idx.defers[n.Defer] = n
			idx.record(n, cur.Parent().Node())
		}
	}
	return idx
}

// record notes the statement list that holds s directly.
func (idx *syntaxIndex) record(s ast.Stmt, parent ast.Node) {
	switch b := parent.(type) {
	case *ast.BlockStmt:
		idx.blocks[s] = b.List
	case *ast.CaseClause:
		idx.blocks[s] = b.Body
	case *ast.CommClause:
		idx.blocks[s] = b.Body
	}
}

// source returns the text of the file holding pos and the file's base.
func (c *checker) source(pos token.Pos) ([]byte, token.Pos) {
	tf := c.Fset.File(pos)
	if tf == nil {
		return nil, token.NoPos
	}
	if src, ok := c.src[tf]; ok {
		return src, token.Pos(tf.Base())
	}
	read := c.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(tf.Name())
	if err != nil || len(src) != tf.Size() {
		src = nil
	}
	c.src[tf] = src
	return src, token.Pos(tf.Base())
}

// text returns n's source text, or alt when the source is not available.
func (c *checker) text(n ast.Node, alt string) string {
	if n == nil {
		return alt
	}
	src, base := c.source(n.Pos())
	if src == nil {
		return alt
	}
	return string(src[n.Pos()-base : n.End()-base])
}
