package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

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

// writeAtomic replaces (or creates, with mode 0644) the file name with
// data through a temporary file renamed over it, keeping its mode.
func writeAtomic(name string, data []byte) error {
	perm := os.FileMode(0o644)
	info, err := os.Stat(name)
	switch {
	case err == nil:
		perm = info.Mode().Perm()
	case !errors.Is(err, os.ErrNotExist):
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
	if err := tmp.Chmod(perm); err != nil {
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
