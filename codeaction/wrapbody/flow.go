package wrapbody

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// exitKind says where a jump out of the loop body goes.
type exitKind int

const (
	exitNext   exitKind = iota // the next iteration: continue (or the end of the body)
	exitBreak                  // out of the loop: break
	exitReturn                 // out of the function: return
	exitOuter                  // to an enclosing statement: break L or continue L
)

// jump is a statement of the body that leaves it and must be rewritten
// into a return of the function literal.
type jump struct {
	stmt ast.Stmt // *ast.BranchStmt or *ast.ReturnStmt
	kind exitKind
	// outer is the jump itself ("continue outer") for exitOuter.
	outer string
	// guards are the conditions of the if statements whose then-branch
	// holds a return, innermost first.
	guards []*ast.IfStmt
}

// collect returns the jumps of body that leave it: continues and breaks of
// the loop (labelled with loopLabel or not), labelled jumps to enclosing
// statements, and returns. Jumps belonging to loops, switches and selects
// nested in the body, and everything inside function literals, stay. A goto
// is refused: its target may not exist inside a function literal.
func collect(info *types.Info, body *ast.BlockStmt, loopLabel types.Object) ([]jump, error) {
	var (
		out []jump
		err error
	)
	var walk func(n ast.Node, loops, breakables int, ifs []*ast.IfStmt)
	var walkIf func(s *ast.IfStmt, loops, breakables int, ifs []*ast.IfStmt)
	walk = func(n ast.Node, loops, breakables int, ifs []*ast.IfStmt) {
		ast.Inspect(n, func(c ast.Node) bool {
			if err != nil {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.IfStmt:
				walkIf(c, loops, breakables, ifs)
				return false
			case *ast.ReturnStmt:
				out = append(out, jump{stmt: c, kind: exitReturn, guards: ifs})
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				if c != n {
					walk(c, loops+1, breakables+1, ifs)
					return false
				}
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if c != n {
					walk(c, loops, breakables+1, ifs)
					return false
				}
			case *ast.BranchStmt:
				j, keep, e := classify(info, body, loopLabel, c, loops, breakables)
				if e != nil {
					err = e
				} else if !keep {
					out = append(out, j)
				}
				return false
			}
			return true
		})
	}
	walkIf = func(s *ast.IfStmt, loops, breakables int, ifs []*ast.IfStmt) {
		if s.Init != nil {
			walk(s.Init, loops, breakables, ifs)
		}
		walk(s.Body, loops, breakables, append([]*ast.IfStmt{s}, ifs...))
		switch e := s.Else.(type) {
		case *ast.IfStmt:
			walkIf(e, loops, breakables, ifs)
		case *ast.BlockStmt:
			walk(e, loops, breakables, ifs)
		}
	}
	walk(body, 0, 0, nil)
	return out, err
}

// classify decides what a branch statement of the body becomes; keep is set
// when it stays as it is.
func classify(info *types.Info, body *ast.BlockStmt, loopLabel types.Object, b *ast.BranchStmt, loops, breakables int) (j jump, keep bool, err error) {
	j = jump{stmt: b}
	switch b.Tok {
	case token.GOTO:
		return j, false, errors.New("the loop body uses goto")
	case token.FALLTHROUGH:
		return j, true, nil
	}
	if b.Label != nil {
		target := info.Uses[b.Label]
		switch {
		case target == nil:
			return j, false, errors.New("unresolved label")
		case target.Pos() >= body.Pos() && target.Pos() < body.End():
			return j, true, nil // a statement inside the body
		case target == loopLabel && b.Tok == token.CONTINUE:
			j.kind = exitNext
		case target == loopLabel:
			j.kind = exitBreak
		default:
			j.kind = exitOuter
			j.outer = b.Tok.String() + " " + b.Label.Name
		}
		return j, false, nil
	}
	switch {
	case b.Tok == token.CONTINUE && loops == 0:
		j.kind = exitNext
	case b.Tok == token.BREAK && breakables == 0:
		j.kind = exitBreak
	default:
		return j, true, nil
	}
	return j, false, nil
}

// flagName names the boolean result that carries an outer jump:
// "continue outer" → continueOuter.
func flagName(outer string) string {
	tok, label, _ := strings.Cut(outer, " ")
	if label == "" {
		return tok
	}
	return tok + strings.ToUpper(label[:1]) + label[1:]
}

// terminating reports whether s ends the function literal on every path
// once the jumps in rewritten have become returns (a conservative subset of
// the spec's terminating statements: a miss only adds a final return).
func terminating(s ast.Stmt, rewritten map[ast.Stmt]bool) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return rewritten[s]
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := call.Fun.(*ast.Ident)
		return ok && id.Name == "panic"
	case *ast.BlockStmt:
		return len(s.List) > 0 && terminating(s.List[len(s.List)-1], rewritten)
	case *ast.IfStmt:
		return s.Else != nil && terminating(s.Body, rewritten) && terminating(s.Else, rewritten)
	case *ast.LabeledStmt:
		return terminating(s.Stmt, rewritten)
	}
	return false
}
