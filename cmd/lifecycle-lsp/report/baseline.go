package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/findingkey"
)

// AssignKeys sets the Key of every finding: a hash of its check, its file
// relative to root (the repository's top-level directory), the function it
// is in and its message with line numbers left out, plus an ordinal for
// alike findings in one function. Keys do not depend on where in the file a
// finding is, so a baseline survives lines added above a finding and a
// function moved within its file.
func AssignKeys(findings []Finding, root string) {
	subjects := make([]findingkey.Subject, len(findings))
	for i, f := range findings {
		file := RootRelative(root, f.File)
		subjects[i] = findingkey.Subject{
			Parts: []string{f.Check, file, f.Function, keyMessage(f.Message)},
			File:  file, Line: f.Line,
		}
	}
	for i, k := range findingkey.Assign(subjects) {
		findings[i].Key = k
	}
}

// lineRef matches the line numbers messages mention ("on the path
// returning at line 38").
var lineRef = regexp.MustCompile(`\b(lines?) [0-9]+(, [0-9]+)*( and [0-9]+)?`)

// keyMessage is a message without the line numbers it mentions.
func keyMessage(msg string) string { return lineRef.ReplaceAllString(msg, "$1 N") }

// RootRelative returns file relative to root, slash-separated, or file
// itself (slash-separated) when it is not below root.
func RootRelative(root, file string) string {
	if root != "" {
		if r, err := filepath.Rel(root, file); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(file)
}

// baselineFile is the JSON form of a baseline: the findings a team accepted
// when it adopted the checker, readable in review.
type baselineFile struct {
	// Version is the format version, 1.
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Key      string `json:"key"`
	Check    string `json:"check"`
	File     string `json:"file"`
	Function string `json:"function"`
	Message  string `json:"message"`
}

// ReadBaseline returns the keys of the findings recorded in the baseline at
// path. A missing file is reported with an error wrapping os.ErrNotExist.
func ReadBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the baseline: %w", err)
	}
	var b baselineFile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s is not a lifecycle-lsp baseline: %w", path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("%s: baseline version %d, want 1 (write it anew with -write-baseline)", path, b.Version)
	}
	keys := map[string]bool{}
	for i, e := range b.Findings {
		if e.Key == "" {
			return nil, fmt.Errorf("%s: finding %d has no key", path, i+1)
		}
		keys[e.Key] = true
	}
	return keys, nil
}

// WriteBaseline writes findings (their keys assigned) to path as a baseline,
// atomically: a failed write leaves the previous file as it was.
func WriteBaseline(path string, findings []Finding, root string) error {
	b := baselineFile{Version: 1, Findings: []baselineEntry{}}
	for _, f := range findings {
		if f.Key == "" {
			return errors.New("writing the baseline: a finding has no key")
		}
		b.Findings = append(b.Findings, baselineEntry{Key: f.Key, Check: f.Check,
			File: RootRelative(root, f.File), Function: f.Function, Message: f.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Key < y.Key
	})
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	return nil
}

// Drop returns the findings whose key is not in keys.
func Drop(findings []Finding, keys map[string]bool) []Finding {
	var out []Finding
	for _, f := range findings {
		if !keys[f.Key] {
			out = append(out, f)
		}
	}
	return out
}
