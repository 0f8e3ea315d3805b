// Package release renders the call that releases a resource, built from the
// static type of the expression that holds it at the point of the fix rather
// than from the kind of resource that was acquired.
//
// The two differ when a resource is handed around under another type: a
// response body returned by a helper as an io.ReadCloser is released with
// body.Close(), not body.Body.Close(); a *sql.Tx is rolled back, and a value
// whose type has none of its kind's release methods cannot be released
// through that expression at all (Call then returns an error and the caller
// offers no fix).
package release

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Call returns the statement that releases the resource of kind k held by
// the expression expr of static type t: "resp.Body.Close()", "f.Close()",
// "tx.Rollback()", "cancel()", "signal.Stop(ch)", "cmd.Wait()".
func Call(t types.Type, k *resource.Kind, expr string) (string, error) {
	if t == nil || k == nil || expr == "" {
		return "", fmt.Errorf("release of %q: no type or kind", expr)
	}
	switch {
	case k.FixCall != "":
		return strings.Replace(k.FixCall, "%s", expr, 1), nil
	case k.Func:
		sig, ok := types.Unalias(t).Underlying().(*types.Signature)
		if !ok || sig.Params().Len() != 0 {
			return "", fmt.Errorf("release of %s: %s is not a func()", expr, t)
		}
		return expr + "()", nil
	case k.Body:
		if body := fieldType(t, "Body"); body != nil && hasNiladicMethod(body, "Close") {
			return expr + ".Body.Close()", nil
		}
		if hasNiladicMethod(t, "Close") {
			return expr + ".Close()", nil
		}
		return "", fmt.Errorf("release of %s: %s has neither a Body nor a Close method", expr, t)
	}
	for _, m := range preferred(k) {
		if hasNiladicMethod(t, m) {
			return expr + "." + m + "()", nil
		}
	}
	return "", fmt.Errorf("release of %s: %s has no release method of a %s", expr, t, k.Name)
}

// preferred lists k's release methods, the one its fix names first: a
// transaction is rolled back rather than committed.
func preferred(k *resource.Kind) []string {
	var out []string
	if m, ok := strings.CutPrefix(k.Fix, "."); ok {
		if name, ok := strings.CutSuffix(m, "()"); ok && !strings.Contains(name, ".") {
			out = append(out, name)
		}
	}
	for _, m := range k.Methods {
		if len(out) == 0 || out[0] != m {
			out = append(out, m)
		}
	}
	return out
}

// fieldType returns the type of t's field name (through a pointer), or nil.
func fieldType(t types.Type, name string) types.Type {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	if v, ok := obj.(*types.Var); ok && v.IsField() {
		return v.Type()
	}
	return nil
}

// hasNiladicMethod reports whether a value of type t has a method name that
// takes no arguments.
func hasNiladicMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Params().Len() == 0
}
