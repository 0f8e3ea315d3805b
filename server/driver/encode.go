package driver

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// encodedFact is one fact in the form Encode writes.
type encodedFact struct {
	Path string // objectpath; empty for a package fact
	Type string // see FactTypeName
	Data []byte // gob encoding; nil for a fact type without fields
}

// FactTypeName names a fact type in encoded facts: its package path and
// type name.
func FactTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() + "." + t.Name()
}

// FactTypes maps FactTypeName to the fact types of analyzers and of
// everything they require.
func FactTypes(analyzers []*analysis.Analyzer) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, a := range topo(analyzers) {
		for _, f := range a.FactTypes {
			t := reflect.TypeOf(f)
			out[FactTypeName(t)] = t
		}
	}
	return out
}

// Encode serializes the facts dependants can import (those of objects
// with an objectpath, and package facts), in a stable order.
func (f *Facts) Encode() ([]byte, error) {
	var recs []encodedFact
	var err error
	f.Each(func(path objectpath.Path, fact analysis.Fact) {
		rec := encodedFact{Path: string(path), Type: FactTypeName(reflect.TypeOf(fact))}
		if reflect.TypeOf(fact).Elem().NumField() > 0 {
			var buf bytes.Buffer
			if e := gob.NewEncoder(&buf).Encode(fact); e != nil {
				err = fmt.Errorf("encoding fact %s: %w", rec.Type, e)
				return
			}
			rec.Data = buf.Bytes()
		}
		recs = append(recs, rec)
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		return a.Path < b.Path || a.Path == b.Path && a.Type < b.Type
	})
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(recs); err != nil {
		return nil, fmt.Errorf("encoding facts: %w", err)
	}
	return buf.Bytes(), nil
}

// DecodeFacts reads facts written by Encode; types is FactTypes of the
// analyzers that will import them.
func DecodeFacts(data []byte, types map[string]reflect.Type) (*Facts, error) {
	var recs []encodedFact
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&recs); err != nil {
		return nil, fmt.Errorf("decoding facts: %w", err)
	}
	facts := newFacts()
	for _, rec := range recs {
		t, ok := types[rec.Type]
		if !ok || t.Kind() != reflect.Pointer {
			return nil, fmt.Errorf("decoding facts: unknown fact type %s", rec.Type)
		}
		fact, ok := reflect.New(t.Elem()).Interface().(analysis.Fact)
		if !ok {
			return nil, fmt.Errorf("decoding facts: %s is not a fact", rec.Type)
		}
		if rec.Data != nil {
			if err := gob.NewDecoder(bytes.NewReader(rec.Data)).Decode(fact); err != nil {
				return nil, fmt.Errorf("decoding fact %s: %w", rec.Type, err)
			}
		}
		facts.Add(objectpath.Path(rec.Path), fact)
	}
	return facts, nil
}
