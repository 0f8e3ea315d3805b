// Package fixpoint applies suggested fixes until none applies: it takes
// the first fix of every finding whose edits do not conflict with a fix
// already taken, applies them in memory, has the caller re-analyse the
// changed files, and repeats on the new findings for a bounded number of
// rounds. A round whose re-analysis fails is undone. The command line's
// -fix/-diff and the language server's fix-all share it, each with its own
// way of analysing a text that is not on disk.
package fixpoint

import (
	"bytes"
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of File with New.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Plan takes the fixes (each a list of edits) in order and accepts a fix
// when none of its edits overlaps an edit already accepted for the same
// file; the others wait for a later round, on the fixed text. Identical
// edits of two fixes (the same import added twice) are kept once. It
// returns the accepted edits per file and, per fix, whether it was
// accepted. An empty fix is not accepted.
func Plan(fixes [][]Edit) (map[string][]Edit, []bool) {
	accepted := map[string][]Edit{}
	taken := make([]bool, len(fixes))
	for i, fix := range fixes {
		if len(fix) == 0 {
			continue
		}
		conflict := false
		for _, e := range fix {
			for _, a := range accepted[e.File] {
				if a != e && overlaps(a, e) {
					conflict = true
				}
			}
		}
		if conflict {
			continue
		}
		for _, e := range fix {
			if !contains(accepted[e.File], e) {
				accepted[e.File] = append(accepted[e.File], e)
			}
		}
		taken[i] = true
	}
	return accepted, taken
}

// overlaps reports whether two edits of one file touch the same bytes.
// Two insertions at one point do not: they are applied in order.
func overlaps(a, b Edit) bool {
	if a.Start == a.End && b.Start == b.End {
		return false
	}
	return a.Start < b.End && b.Start < a.End
}

func contains(list []Edit, e Edit) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// Apply returns src with edits (all of one file) applied. Insertions at one
// point keep their order.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := sortedEdits(edits)
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) of %s is out of range or overlaps another", e.Start, e.End, e.File)
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.New)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

func sortedEdits(edits []Edit) []Edit {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	return sorted
}

// Analysis is what analysing some files found.
type Analysis[F any] struct {
	Findings []F
	// Files are the files whose findings Findings replace: every file of
	// the packages analysed, whether or not it has a finding.
	Files []string
}

// Config says how to read, fix and re-analyse.
type Config[F any] struct {
	// File returns the file a finding is in.
	File func(F) string
	// Fix returns the edits of the fix to apply for a finding (its
	// first), or nil when it has none.
	Fix func(F) []Edit
	// Read returns the text a file has before any fix.
	Read func(file string) ([]byte, error)
	// Analyze re-analyses the packages of the files changed in this
	// round. texts holds the current text of every file changed so far.
	// An error undoes the round and ends the fixpoint.
	Analyze func(texts map[string][]byte, changed []string) (Analysis[F], error)
	// MaxRounds bounds the rounds that apply fixes (a fix whose result is
	// flagged and fixed again must not loop forever).
	MaxRounds int
}

// Result is the outcome of applying fixes until none applies.
type Result[F any] struct {
	// Before and After hold the original and final text of every file
	// changed.
	Before, After map[string][]byte
	// Edits turn each file's Before into its After: non-overlapping edits
	// of the original text, in order.
	Edits map[string][]Edit
	// Applied counts the fixes applied over all rounds; Rounds the rounds
	// that applied some.
	Applied, Rounds int
	// Remaining are the findings on the final text (those of files never
	// re-analysed are the first analysis's).
	Remaining []F
	// Undone is the round whose fixes were dropped because its analysis
	// failed with Stopped, or 0.
	Undone  int
	Stopped error
}

// Run applies fixes from the findings of first until no fix applies, a
// round's analysis fails or cfg.MaxRounds rounds have applied fixes. It
// fails only when a file cannot be read or a fix's edits do not fit its
// file.
func Run[F any](first Analysis[F], cfg Config[F]) (*Result[F], error) {
	res := &Result[F]{Before: map[string][]byte{}, After: map[string][]byte{}, Edits: map[string][]Edit{}}
	current := map[string][]F{}
	record := func(a Analysis[F]) {
		for _, file := range a.Files {
			delete(current, file)
		}
		for _, f := range a.Findings {
			file := cfg.File(f)
			current[file] = append(current[file], f)
		}
	}
	record(first)
	findings := first.Findings
	for res.Rounds < cfg.MaxRounds {
		fixes := make([][]Edit, len(findings))
		for i, f := range findings {
			fixes[i] = cfg.Fix(f)
		}
		accepted, taken := Plan(fixes)
		n := 0
		for _, t := range taken {
			if t {
				n++
			}
		}
		if n == 0 {
			break
		}
		next := map[string][]byte{}
		before := map[string][]byte{}
		for _, file := range sortedKeys(accepted) {
			src, err := res.text(file, cfg.Read, before)
			if err != nil {
				return nil, err
			}
			out, err := Apply(src, accepted[file])
			if err != nil {
				return nil, fmt.Errorf("fixing %s: %w", file, err)
			}
			if !bytes.Equal(out, src) {
				next[file] = out
			}
		}
		if len(next) == 0 {
			break
		}
		texts := map[string][]byte{}
		for f, t := range res.After {
			texts[f] = t
		}
		for f, t := range next {
			texts[f] = t
		}
		a, err := cfg.Analyze(texts, sortedKeys(next))
		if err != nil {
			res.Undone, res.Stopped = res.Rounds+1, err
			break
		}
		for file, text := range next {
			if _, ok := res.Before[file]; !ok {
				res.Before[file] = before[file]
			}
			res.Edits[file] = compose(res.Edits[file], sortedEdits(accepted[file]), text)
			res.After[file] = text
		}
		res.Applied += n
		res.Rounds++
		record(a)
		findings = a.Findings
	}
	for _, file := range sortedKeys(current) {
		res.Remaining = append(res.Remaining, current[file]...)
	}
	return res, nil
}

// text returns the current text of file (fixed already, or as read),
// noting in before the text read.
func (r *Result[F]) text(file string, read func(string) ([]byte, error), before map[string][]byte) ([]byte, error) {
	if t, ok := r.After[file]; ok {
		return t, nil
	}
	t, err := read(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	before[file] = t
	return t, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
