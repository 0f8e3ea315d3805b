package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Plan groups the first fix of every finding by file, dropping fixes whose
// edits overlap a fix already accepted for the same file (a later round of
// the fixpoint retries them on the fixed text). It returns the accepted
// edits per file, the number of accepted fixes, and the findings left
// without an accepted fix. Identical edits of two fixes (the same import
// added twice) are applied once.
func Plan(findings []Finding) (map[string][]Edit, int, []Finding) {
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
				if overlaps(a, e) && a != e {
					conflict = true
				}
			}
		}
		if conflict {
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

func containsEdit(list []Edit, e Edit) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// ApplyEdits returns src with edits applied. Insertions at one point keep
// their order.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
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

// WriteFiles replaces the content of every file of files, atomically per
// file: the new text goes to a temporary file in the same directory, which
// then replaces the original keeping its permissions. Every file is checked
// to be writable first, so that a read-only file stops the run before
// anything changes. It returns the files written.
func WriteFiles(files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var problems []error
	for _, name := range names {
		if err := checkWritable(name); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("no file was changed: %w", errors.Join(problems...))
	}
	var written []string
	for _, name := range names {
		if err := writeAtomic(name, files[name]); err != nil {
			return written, err
		}
		written = append(written, name)
	}
	return written, nil
}

// checkWritable reports why name cannot be replaced: the file is not
// writable, or its directory does not accept a new file.
func checkWritable(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", rel(name), err)
	}
	f.Close()
	tmp, err := os.CreateTemp(filepath.Dir(name), ".lifecycle-fix-*")
	if err != nil {
		return fmt.Errorf("cannot create a file beside %s: %w", rel(name), err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

func writeAtomic(name string, data []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", rel(name), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".lifecycle-fix-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", rel(name), err)
	}
	cleanup := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", rel(name), err)
	}
	if _, err := tmp.Write(data); err != nil {
		return cleanup(err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return cleanup(err)
	}
	if err := tmp.Sync(); err != nil {
		return cleanup(err)
	}
	if err := tmp.Close(); err != nil {
		return cleanup(err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", rel(name), err)
	}
	return nil
}

// DiffFiles prints, for every file of after, the unified diff from its text
// in before.
func DiffFiles(w io.Writer, before, after map[string][]byte) {
	names := make([]string, 0, len(after))
	for name := range after {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r := rel(name)
		fmt.Fprint(w, unified("a/"+r, "b/"+r, string(before[name]), string(after[name])))
	}
}
