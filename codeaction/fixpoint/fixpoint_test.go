package fixpoint

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
)

func TestPlanAppliesIdenticalEditsOnceAndDefersConflicts(t *testing.T) {
	imp := Edit{File: "f.go", Start: 10, End: 27, New: "import (\n\t\"os\"\n\t\"sync\"\n)"}
	fixes := [][]Edit{
		{imp, {File: "f.go", Start: 40, End: 40, New: "a"}},
		{imp, {File: "f.go", Start: 50, End: 50, New: "b"}},
		{{File: "f.go", Start: 12, End: 20, New: "c"}},
		nil,
		{{File: "f.go", Start: 50, End: 50, New: "d"}}, // a second insertion at one point
	}
	edits, taken := Plan(fixes)
	want := []bool{true, true, false, false, true}
	for i := range want {
		if taken[i] != want[i] {
			t.Errorf("fix %d taken = %v, want %v", i, taken[i], want[i])
		}
	}
	if len(edits["f.go"]) != 4 {
		t.Errorf("accepted edits %v, want the shared import once and three insertions", edits["f.go"])
	}
}

func TestApplyRejectsOverlappingEdits(t *testing.T) {
	_, err := Apply([]byte("abcdef"), []Edit{{Start: 1, End: 4}, {Start: 2, End: 3}})
	if err == nil {
		t.Fatal("overlapping edits applied")
	}
	out, err := Apply([]byte("abcdef"), []Edit{{Start: 3, End: 3, New: "X"}, {Start: 3, End: 3, New: "Y"}, {Start: 0, End: 1, New: ""}})
	if err != nil || string(out) != "bcXYdef" {
		t.Errorf("Apply = %q, %v; want insertions at one point in order", out, err)
	}
}

// randomEdits returns sorted, non-overlapping edits of a text of length n.
func randomEdits(r *rand.Rand, n int) []Edit {
	var out []Edit
	pos := 0
	for pos <= n {
		pos += r.Intn(4)
		if pos > n {
			break
		}
		end := pos + r.Intn(3)
		if end > n {
			end = n
		}
		newText := strings.Repeat(string(rune('A'+r.Intn(26))), r.Intn(3))
		if end == pos && newText == "" {
			newText = "+"
		}
		out = append(out, Edit{File: "f", Start: pos, End: end, New: newText})
		pos = end + 1 // keep edits apart or touching at most through an insertion
		if r.Intn(3) == 0 {
			pos = end
		}
	}
	// Two insertions at one point are legal; overlapping replacements are not.
	var clean []Edit
	last := -1
	for _, e := range out {
		if e.Start < last {
			continue
		}
		clean = append(clean, e)
		last = e.End
	}
	return clean
}

func TestComposeGivesTheFinalTextFromTheOriginal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		orig := []byte("0123456789abcdefghij"[:5+r.Intn(15)])
		first := randomEdits(r, len(orig))
		mid, err := Apply(orig, first)
		if err != nil {
			t.Fatal(err)
		}
		second := randomEdits(r, len(mid))
		final, err := Apply(mid, second)
		if err != nil {
			t.Fatal(err)
		}
		composed := compose(first, second, final)
		got, err := Apply(orig, composed)
		if err != nil {
			t.Fatalf("composed edits do not apply: %v\norig %q first %v second %v composed %v", err, orig, first, second, composed)
		}
		if string(got) != string(final) {
			t.Fatalf("composed edits give %q, want %q\norig %q first %v second %v composed %v", got, final, orig, first, second, composed)
		}
		for j := 1; j < len(composed); j++ {
			if composed[j].Start < composed[j-1].End {
				t.Fatalf("composed edits overlap: %v", composed)
			}
		}
	}
}

func TestComposeKeepsSeparateEditsSeparate(t *testing.T) {
	orig := []byte("import \"os\"\n\nfunc f() {\n}\n")
	first := []Edit{{File: "f", Start: 0, End: 11, New: "import (\n\t\"os\"\n\t\"sync\"\n)"}}
	mid, _ := Apply(orig, first)
	at := strings.Index(string(mid), "}\n")
	second := []Edit{{File: "f", Start: at, End: at, New: "\tx()\n"}}
	final, _ := Apply(mid, second)
	composed := compose(first, second, final)
	if len(composed) != 2 || composed[0] != first[0] || composed[1].Start != strings.Index(string(orig), "}\n") {
		t.Errorf("composed = %v, want the import edit and the insertion apart", composed)
	}
}

// finding is a test finding: a file and the fix of a line to append.
type finding struct {
	file, appendLine string
}

func config(analyze func(texts map[string][]byte, changed []string) (Analysis[finding], error), disk map[string]string) Config[finding] {
	return Config[finding]{
		File: func(f finding) string { return f.file },
		Fix: func(f finding) []Edit {
			if f.appendLine == "" {
				return nil
			}
			// Appends at the end of the text the finding was computed on:
			// the tests keep texts as long as the disk text plus lines.
			return []Edit{{File: f.file, Start: -1, New: f.appendLine}}
		},
		Read: func(file string) ([]byte, error) {
			t, ok := disk[file]
			if !ok {
				return nil, errors.New("no such file")
			}
			return []byte(t), nil
		},
		Analyze:   analyze,
		MaxRounds: 8,
	}
}

// appending resolves the -1 offsets of appended lines against texts.
func appending(cfg Config[finding], texts func(string) string) Config[finding] {
	fix := cfg.Fix
	cfg.Fix = func(f finding) []Edit {
		es := fix(f)
		for i := range es {
			n := len(texts(es[i].File))
			es[i].Start, es[i].End = n, n
		}
		return es
	}
	return cfg
}

// texts are the files on disk and the texts the last analysis saw.
type texts struct {
	disk map[string]string
	cur  map[string][]byte
}

func (w *texts) text(f string) string {
	if t, ok := w.cur[f]; ok {
		return string(t)
	}
	return w.disk[f]
}

func TestRunReachesAFixpointOverRounds(t *testing.T) {
	w := &texts{disk: map[string]string{"a.go": "package a\n"}}
	analyses := 0
	cfg := appending(config(func(texts map[string][]byte, changed []string) (Analysis[finding], error) {
		analyses++
		w.cur = texts
		// The second fix only appears once the first is applied.
		if !strings.Contains(string(texts["a.go"]), "two") {
			return Analysis[finding]{Findings: []finding{{"a.go", "two\n"}}, Files: []string{"a.go"}}, nil
		}
		return Analysis[finding]{Findings: []finding{{"a.go", ""}}, Files: []string{"a.go"}}, nil
	}, w.disk), w.text)
	res, err := Run(Analysis[finding]{Findings: []finding{{"a.go", "one\n"}}, Files: []string{"a.go"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.After["a.go"]); got != "package a\none\ntwo\n" {
		t.Errorf("final text %q", got)
	}
	if res.Rounds != 2 || res.Applied != 2 || analyses != 2 || len(res.Remaining) != 1 {
		t.Errorf("rounds %d, applied %d, analyses %d, remaining %v", res.Rounds, res.Applied, analyses, res.Remaining)
	}
	out, err := Apply(res.Before["a.go"], res.Edits["a.go"])
	if err != nil || string(out) != string(res.After["a.go"]) {
		t.Errorf("Edits give %q, %v; want the final text", out, err)
	}
}

func TestRunUndoesARoundWhoseAnalysisFails(t *testing.T) {
	disk := map[string]string{"a.go": "package a\n"}
	broken := errors.New("does not type-check")
	cfg := appending(config(func(texts map[string][]byte, changed []string) (Analysis[finding], error) {
		return Analysis[finding]{}, broken
	}, disk), func(f string) string { return disk[f] })
	res, err := Run(Analysis[finding]{Findings: []finding{{"a.go", "func {\n"}}, Files: []string{"a.go"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.After) != 0 || res.Applied != 0 || res.Undone != 1 || !errors.Is(res.Stopped, broken) || len(res.Remaining) != 1 {
		t.Errorf("kept a failing round: after %v, applied %d, undone %d (%v), remaining %v", res.After, res.Applied, res.Undone, res.Stopped, res.Remaining)
	}
}

func TestRunIsBounded(t *testing.T) {
	w := &texts{disk: map[string]string{"a.go": "package a\n"}}
	analyses := 0
	cfg := appending(config(func(texts map[string][]byte, changed []string) (Analysis[finding], error) {
		analyses++
		w.cur = texts
		// A fix that never makes its finding go away.
		return Analysis[finding]{Findings: []finding{{"a.go", "//x\n"}}, Files: []string{"a.go"}}, nil
	}, w.disk), w.text)
	cfg.MaxRounds = 3
	res, err := Run(Analysis[finding]{Findings: []finding{{"a.go", "//x\n"}}, Files: []string{"a.go"}}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 3 || analyses != 3 || len(res.Remaining) != 1 || strings.Count(string(res.After["a.go"]), "//x") != 3 {
		t.Errorf("rounds %d, analyses %d, remaining %v, text %q", res.Rounds, analyses, res.Remaining, res.After["a.go"])
	}
}
