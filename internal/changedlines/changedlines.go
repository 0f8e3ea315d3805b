// Package changedlines tells which lines of a git working tree differ from a
// revision (git diff REV, plus files git does not track yet), for check's
// -new-from-rev: findings only on lines changed since that revision.
package changedlines

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/sourcegraph/go-diff/diff"
)

// Set holds the changed lines of a working tree, by file path relative to
// the repository root (slash-separated).
type Set struct {
	lines map[string]map[int]bool
	whole map[string]bool // files new since the revision: every line counts
}

// Contains reports whether line (from 1) of file (relative to the root,
// slash-separated) changed since the revision.
func (s *Set) Contains(file string, line int) bool {
	return s.whole[file] || s.lines[file][line]
}

// Since runs git in root (the repository's top-level directory) and returns
// the lines of the working tree that differ from rev: added or changed in
// tracked files, and all lines of untracked files that are not ignored.
func Since(root, rev string) (*Set, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("revision %q: a revision does not start with -", rev)
	}
	if _, err := git(root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("revision %q is not a commit of the repository at %s", rev, root)
	}
	out, err := git(root, "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0",
		"--src-prefix=a/", "--dst-prefix=b/", rev, "--")
	if err != nil {
		return nil, err
	}
	s, err := Parse(out)
	if err != nil {
		return nil, err
	}
	untracked, err := git(root, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	for _, name := range strings.Split(string(untracked), "\x00") {
		if name != "" {
			s.whole[filepath.ToSlash(name)] = true
		}
	}
	return s, nil
}

// Parse reads a unified diff made with -U0 (git diff -U0) and returns the
// lines it adds, by the path of the new file without its "b/" prefix.
func Parse(unified []byte) (*Set, error) {
	s := &Set{lines: map[string]map[int]bool{}, whole: map[string]bool{}}
	if len(bytes.TrimSpace(unified)) == 0 {
		return s, nil
	}
	files, err := diff.ParseMultiFileDiff(unified)
	if err != nil {
		return nil, fmt.Errorf("reading git diff output: %w", err)
	}
	for _, fd := range files {
		name := fd.NewName
		if name == "/dev/null" {
			continue // deleted
		}
		name = strings.TrimPrefix(name, "b/")
		for _, h := range fd.Hunks {
			for i := int32(0); i < h.NewLines; i++ {
				if s.lines[name] == nil {
					s.lines[name] = map[int]bool{}
				}
				s.lines[name][int(h.NewStartLine+i)] = true
			}
		}
	}
	return s, nil
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Root returns the top-level directory of the git repository holding dir,
// or an error when dir is not inside one (or git is missing).
func Root(dir string) (string, error) {
	out, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
