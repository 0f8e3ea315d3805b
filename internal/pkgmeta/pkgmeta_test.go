package pkgmeta

import (
	"bytes"
	"go/token"
	"reflect"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/streamdriver"
)

// load lists, as check does, this module's internal packages with their tests, and
// net/http (net, which uses cgo, is among its dependencies; its tests
// bring recompiled variants).
func load(t *testing.T) []*packages.Package {
	t.Helper()
	roots, err := packages.Load(&packages.Config{Mode: streamdriver.LoadMode, Tests: true}, "github.com/lifecycle-lsp/lifecycle-lsp/internal/...", "net/http")
	if err != nil {
		t.Fatal(err)
	}
	return roots
}

// TestRoundTrip decodes what Encode wrote from a real load and finds every
// package equal to the loaded one, field by field, and encoding the
// decoded graph gives the same bytes.
func TestRoundTrip(t *testing.T) {
	roots := load(t)
	data, err := Encode(roots)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(roots) {
		t.Fatalf("%d roots decoded, want %d", len(got), len(roots))
	}
	byID := map[string]*packages.Package{}
	packages.Visit(got, nil, func(p *packages.Package) { byID[p.ID] = p })
	n := 0
	packages.Visit(roots, nil, func(want *packages.Package) {
		n++
		p := byID[want.ID]
		if p == nil {
			t.Errorf("%s was not decoded", want.ID)
			return
		}
		if d := diff(want, p); d != "" {
			t.Errorf("%s: %s", want.ID, d)
		}
	})
	if len(byID) != n {
		t.Errorf("%d packages decoded, want %d", len(byID), n)
	}
	for i := range roots {
		if got[i].ID != roots[i].ID {
			t.Errorf("root %d is %s, want %s", i, got[i].ID, roots[i].ID)
		}
	}
	again, err := Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("encoding the decoded graph gives other bytes")
	}
}

// diff compares the exported fields of two packages, imports by ID.
func diff(want, got *packages.Package) string {
	wv, gv := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	for i := 0; i < wv.NumField(); i++ {
		f := wv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Name {
		case "Imports":
			if !reflect.DeepEqual(importIDs(want), importIDs(got)) {
				return "imports differ"
			}
		case "Module":
			if !reflect.DeepEqual(want.Module, got.Module) {
				return "modules differ"
			}
		default:
			w, g := wv.Field(i), gv.Field(i)
			if w.Kind() == reflect.Slice && w.Len() == 0 && g.Len() == 0 {
				continue // nil and empty are one
			}
			if !reflect.DeepEqual(w.Interface(), g.Interface()) {
				return f.Name + " differs"
			}
		}
	}
	return ""
}

func importIDs(p *packages.Package) map[string]string {
	out := map[string]string{}
	for path, q := range p.Imports {
		out[path] = q.ID
	}
	return out
}

// TestEveryFieldDecided fails when go/packages gains an exported field:
// Encode must then be taught to keep it, or it must be known to be unset
// in metadata.
func TestEveryFieldDecided(t *testing.T) {
	// The fields onlyKept checks.
	unset := map[string]bool{"TypeErrors": true, "Types": true, "Fset": true, "IllTyped": true, "Syntax": true, "TypesInfo": true}
	typ := reflect.TypeOf(packages.Package{})
	for i := 0; i < typ.NumField(); i++ {
		if f := typ.Field(i); f.IsExported() {
			if !kept[f.Name] && !unset[f.Name] {
				t.Errorf("packages.Package.%s is neither kept nor known to be unset in metadata", f.Name)
			}
		}
	}
	for name := range kept {
		if _, ok := typ.FieldByName(name); !ok {
			t.Errorf("kept field %s is not a field of packages.Package", name)
		}
	}
}

// TestEveryKeptFieldCounts changes each kept field of one package in turn
// and expects other bytes: equal bytes mean equal metadata.
func TestEveryKeptFieldCounts(t *testing.T) {
	roots := load(t)
	base, err := Encode(roots)
	if err != nil {
		t.Fatal(err)
	}
	var target *packages.Package
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.PkgPath == "net" && p.ID == p.PkgPath {
			target = p
		}
	})
	if target == nil {
		t.Fatal("net is not in the graph")
	}
	other := target.Imports["sync"]
	otherSizes := target.TypesSizes
	for _, s := range knownSizes() {
		if !reflect.DeepEqual(s, target.TypesSizes) {
			otherSizes = s
		}
	}
	mutations := map[string]func(p *packages.Package){
		"ID":              func(p *packages.Package) { p.ID += "x" },
		"Name":            func(p *packages.Package) { p.Name += "x" },
		"PkgPath":         func(p *packages.Package) { p.PkgPath += "x" },
		"Dir":             func(p *packages.Package) { p.Dir += "x" },
		"Errors":          func(p *packages.Package) { p.Errors = append(p.Errors, packages.Error{Msg: "x"}) },
		"GoFiles":         func(p *packages.Package) { p.GoFiles = p.GoFiles[1:] },
		"CompiledGoFiles": func(p *packages.Package) { p.CompiledGoFiles = append(p.CompiledGoFiles, "x.go") },
		"OtherFiles":      func(p *packages.Package) { p.OtherFiles = append(p.OtherFiles, "x.c") },
		"EmbedFiles":      func(p *packages.Package) { p.EmbedFiles = append(p.EmbedFiles, "x") },
		"EmbedPatterns":   func(p *packages.Package) { p.EmbedPatterns = append(p.EmbedPatterns, "x") },
		"IgnoredFiles":    func(p *packages.Package) { p.IgnoredFiles = append(p.IgnoredFiles, "x.go") },
		"ExportFile":      func(p *packages.Package) { p.ExportFile = "x" },
		"Target":          func(p *packages.Package) { p.Target = "x" },
		"Imports":         func(p *packages.Package) { p.Imports["x"] = other },
		"Module":          func(p *packages.Package) { p.Module = &packages.Module{Path: "x", GoVersion: "1.22"} },
		"TypesSizes":      func(p *packages.Package) { p.TypesSizes = otherSizes },
		"ForTest":         func(p *packages.Package) { p.ForTest = "x" },
	}
	for name := range kept {
		mutate := mutations[name]
		if mutate == nil {
			t.Errorf("no mutation of kept field %s", name)
			continue
		}
		copied := *target
		copied.Imports = map[string]*packages.Package{}
		for k, v := range target.Imports {
			copied.Imports[k] = v
		}
		mutate(target)
		data, err := Encode(roots)
		*target = copied
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if bytes.Equal(data, base) {
			t.Errorf("changing %s leaves the encoding as it was", name)
		}
	}
	if again, err := Encode(roots); err != nil || !bytes.Equal(again, base) {
		t.Fatalf("the graph was not restored (%v)", err)
	}
}

// TestRefusesSyntax checks that a package carrying more than metadata is
// not encoded (its syntax would be lost).
func TestRefusesSyntax(t *testing.T) {
	p := &packages.Package{ID: "p", PkgPath: "p", Fset: token.NewFileSet()}
	if _, err := Encode([]*packages.Package{p}); err == nil {
		t.Errorf("a package with a file set was encoded")
	}
	if _, err := Decode([]byte("not gob")); err == nil {
		t.Errorf("garbage decoded")
	}
}

// BenchmarkEncode encodes the metadata of the standard library with its
// tests, as a warm check of std does after every listing.
func BenchmarkEncode(b *testing.B) {
	roots, err := packages.Load(&packages.Config{Mode: streamdriver.LoadMode, Tests: true}, "std")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Encode(roots); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode decodes it, as a warm check of std does before the
// listing ends.
func BenchmarkDecode(b *testing.B) {
	roots, err := packages.Load(&packages.Config{Mode: streamdriver.LoadMode, Tests: true}, "std")
	if err != nil {
		b.Fatal(err)
	}
	data, err := Encode(roots)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
