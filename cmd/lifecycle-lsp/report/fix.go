package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
)

// plan groups the first fix of every finding by file, dropping fixes whose
// edits overlap a fix already accepted for the same file. It returns the
// accepted edits per file, the number of accepted fixes, and the findings
// left without an applied fix.
func plan(findings []Finding, stderr io.Writer) (map[string][]Edit, int, []Finding) {
	accepted := map[string][]Edit{}
	fixed := 0
	var remaining []Finding
	for _, f := range findings {
		if len(f.Fixes) == 0 {
			remaining = append(remaining, f)
			continue
		}
		fix := f.Fixes[0]
		conflict := false
		for _, e := range fix.Edits {
			for _, a := range accepted[e.File] {
				if overlaps(a, e) && !sameEdit(a, e) {
					conflict = true
				}
			}
		}
		if conflict {
			if stderr != nil {
				fmt.Fprintf(stderr, "lifecycle-lsp: %s:%d: fix %q conflicts with another fix; run again to apply it\n", rel(f.File), f.Line, fix.Message)
			}
			remaining = append(remaining, f)
			continue
		}
		for _, e := range fix.Edits {
			if !containsEdit(accepted[e.File], e) {
				accepted[e.File] = append(accepted[e.File], e)
			}
		}
		fixed++
	}
	return accepted, fixed, remaining
}

func overlaps(a, b Edit) bool {
	if a.Start == a.End && b.Start == b.End {
		return false // two insertions at one point are applied in order
	}
	return a.Start < b.End && b.Start < a.End
}

func sameEdit(a, b Edit) bool { return a == b }

func containsEdit(list []Edit, e Edit) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// apply returns src with edits applied.
func apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) is out of range or overlaps", e.Start, e.End)
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.New)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// ApplyFixes writes the first fix of every finding to the files. It returns
// the number of fixes applied and the findings that remain.
func ApplyFixes(findings []Finding, stderr io.Writer) (int, []Finding, error) {
	edits, fixed, remaining := plan(findings, stderr)
	files := sortedKeys(edits)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return 0, nil, fmt.Errorf("reading %s: %w", file, err)
		}
		out, err := apply(src, edits[file])
		if err != nil {
			return 0, nil, fmt.Errorf("fixing %s: %w", file, err)
		}
		info, err := os.Stat(file)
		if err != nil {
			return 0, nil, err
		}
		if err := os.WriteFile(file, out, info.Mode().Perm()); err != nil {
			return 0, nil, fmt.Errorf("writing %s: %w", file, err)
		}
	}
	return fixed, remaining, nil
}

// Diff prints the first fix of every finding as a unified diff.
func Diff(w io.Writer, findings []Finding) error {
	edits, _, _ := plan(findings, nil)
	for _, file := range sortedKeys(edits) {
		src, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("reading %s: %w", file, err)
		}
		out, err := apply(src, edits[file])
		if err != nil {
			return fmt.Errorf("fixing %s: %w", file, err)
		}
		name := rel(file)
		fmt.Fprint(w, unified("a/"+name, "b/"+name, string(src), string(out)))
	}
	return nil
}

func sortedKeys(m map[string][]Edit) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
