package driver

import (
	"testing"

	"golang.org/x/tools/go/analysis"
)

// flag is a package fact without fields.
type flag struct{}

func (*flag) AFact() {}

func TestFactsRoundTrip(t *testing.T) {
	f := NewFacts()
	f.Add("F", &mark{N: 3})
	f.Add("T.M", &mark{N: 7})
	f.Add("", new(flag))
	data, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis.Analyzer{Name: "a", FactTypes: []analysis.Fact{new(mark), new(flag)}}
	back, err := DecodeFacts(data, FactTypes([]*analysis.Analyzer{a}))
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != f.Hash() || back.Len() != 3 {
		t.Errorf("decoded facts differ: %d facts", back.Len())
	}
	again, err := back.Encode()
	if err != nil || string(again) != string(data) {
		t.Errorf("re-encoding differs (%v)", err)
	}
	// Facts of an analyzer the decoder does not know are refused, not
	// dropped.
	if _, err := DecodeFacts(data, FactTypes(nil)); err == nil {
		t.Error("facts of unknown types decoded")
	}
}
