package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/config"
)

// isVetTool reports whether the arguments come from go vet -vettool.
func isVetTool(args []string) bool {
	for _, a := range args {
		if a == "-flags" || strings.HasPrefix(a, "-V=") || strings.HasSuffix(a, ".cfg") {
			return true
		}
	}
	return false
}

// unit is go vet's description of one package to analyse, as the tool
// reads and writes it.
type unit struct {
	unitchecker.Config
	// TestFilesOnly is set on the description the tool writes for the
	// test files of a package compiled with its tests: only their
	// findings are reported (the go command never sets it).
	TestFilesOnly bool `json:"LifecycleTestFilesOnly,omitempty"`
}

// runVetTool speaks go vet's unitchecker protocol. go vet runs the tool in
// each package's directory, so the project configuration found from there
// applies: its checks and resource types, and its excluded paths and
// per-path overrides through analyzers that drop what it does not keep.
//
// Findings are the ones check reports. Generated files are left out
// unless the configuration asks for them. go vet analyses a package with
// in-package tests only as compiled with them, where the tests may swap
// package variables for stubs; check judges the package's other files as
// it ships. So such a package is analysed in two parts, each by a run of
// this binary: its files without the tests, for the findings in them,
// then the package with its tests, for the findings in the test files.
func runVetTool(args []string) int {
	for _, a := range args {
		if a == "-flags" || strings.HasPrefix(a, "-V=") {
			// Questions about the tool itself: go vet does not show
			// what they print on failure, so a broken configuration
			// is reported on the packages' runs instead.
			unitchecker.Main(catalogue.Analyzers(catalogue.All())...)
		}
	}
	proj, err := config.ForDir(".")
	var analyzers []*analysis.Analyzer
	if err == nil {
		analyzers, err = proj.Analyzers()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	var u unit
	cfgFile := args[len(args)-1]
	if strings.HasSuffix(cfgFile, ".cfg") {
		// A description that cannot be read is unitchecker's to report.
		if data, err := os.ReadFile(cfgFile); err == nil && json.Unmarshal(data, &u) == nil {
			if shipped, tests := splitTests(u.GoFiles); !u.VetxOnly && !u.TestFilesOnly && len(shipped) > 0 && len(tests) > 0 {
				return runInParts(args, u, shipped)
			}
		}
	}
	generated := proj.Generated != nil && *proj.Generated
	unitchecker.Main(config.Scope(analyzers, vetKeep(u.TestFilesOnly, generated))...)
	return 0 // unreachable: unitchecker.Main exits
}

// splitTests divides a package's files into test files and the others.
func splitTests(files []string) (shipped, tests []string) {
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			tests = append(tests, f)
		} else {
			shipped = append(shipped, f)
		}
	}
	return shipped, tests
}

// vetKeep says which findings a run of the tool reports: only those in
// test files when testFilesOnly is set, and none in generated files
// unless generated is set.
func vetKeep(testFilesOnly, generated bool) func(check, file string) bool {
	var mu sync.Mutex
	known := map[string]bool{}
	isGenerated := func(file string) bool {
		mu.Lock()
		defer mu.Unlock()
		g, ok := known[file]
		if !ok {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.PackageClauseOnly|parser.ParseComments)
			g = err == nil && ast.IsGenerated(f)
			known[file] = g
		}
		return g
	}
	return func(check, file string) bool {
		if testFilesOnly && !strings.HasSuffix(file, "_test.go") {
			return false
		}
		return generated || !isGenerated(file)
	}
}

// runInParts analyses a package compiled with its tests as two runs of
// this binary, one on the shipped files (without the tests) and one on the
// whole package reporting only in test files, and merges what they write
// into what go vet expects of one run: the output, the archive of
// fixed files, the facts (those of the whole package, as its external
// tests import it) and the exit status.
func runInParts(args []string, u unit, shipped []string) int {
	code, err := inParts(args, u, shipped)
	if err != nil {
		fmt.Fprintf(os.Stderr, "lifecycle-lsp: %s: %v\n", u.ImportPath, err)
		return exitFindings // unitchecker's status for a failed analysis
	}
	return code
}

func inParts(args []string, u unit, shipped []string) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("finding this binary to run it again: %w", err)
	}
	tmp, err := os.MkdirTemp("", "lifecycle-lsp-vet-")
	if err != nil {
		return 0, fmt.Errorf("making a directory for the package's parts: %w", err)
	}
	defer os.RemoveAll(tmp)

	ship, tests := u, u
	ship.GoFiles, ship.VetxOutput = shipped, filepath.Join(tmp, "shipped.vetx")
	tests.TestFilesOnly = true
	ship.Stdout, tests.Stdout = "", ""
	var archives []string
	if u.FixArchive != "" {
		ship.FixArchive, tests.FixArchive = filepath.Join(tmp, "shipped.zip"), filepath.Join(tmp, "tests.zip")
		archives = []string{ship.FixArchive, tests.FixArchive}
	}
	code := 0
	var outputs [][]byte
	for i, part := range []unit{ship, tests} {
		data, err := json.Marshal(part)
		if err != nil {
			return 0, fmt.Errorf("describing a part of the package: %w", err)
		}
		cfgFile := filepath.Join(tmp, fmt.Sprintf("part%d.cfg", i))
		if err := os.WriteFile(cfgFile, data, 0o600); err != nil {
			return 0, fmt.Errorf("describing a part of the package: %w", err)
		}
		partArgs := append(append([]string(nil), args[:len(args)-1]...), cfgFile)
		var stdout bytes.Buffer
		cmd := exec.Command(self, partArgs...)
		cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
		var exit *exec.ExitError
		switch err := cmd.Run(); {
		case errors.As(err, &exit):
			code = max(code, exit.ExitCode())
		case err != nil:
			return 0, fmt.Errorf("running %s on a part of the package: %w", self, err)
		}
		outputs = append(outputs, stdout.Bytes())
	}
	if err := writeOutput(u.Stdout, mergeOutputs(outputs)); err != nil {
		return 0, err
	}
	if len(archives) > 0 {
		if err := mergeArchives(u.FixArchive, u.ID, archives); err != nil {
			return 0, err
		}
	}
	return code, nil
}

// mergeOutputs joins what the parts printed. With -json (which the go
// command passes) each prints one JSON object, package ID → analyzer →
// diagnostics (or an error), and go vet expects one: the objects are
// merged, the diagnostics of an analyzer concatenated, an error kept.
// Other output (the diffs of -fix -diff) is concatenated.
func mergeOutputs(outputs [][]byte) []byte {
	merged := map[string]map[string]json.RawMessage{}
	for _, out := range outputs {
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			var tree map[string]map[string]json.RawMessage
			if err := dec.Decode(&tree); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return bytes.Join(outputs, nil)
			}
			for id, byAnalyzer := range tree {
				if merged[id] == nil {
					merged[id] = map[string]json.RawMessage{}
				}
				for name, diags := range byAnalyzer {
					merged[id][name] = joinDiagnostics(merged[id][name], diags)
				}
			}
		}
	}
	if len(bytes.TrimSpace(bytes.Join(outputs, nil))) == 0 {
		return nil
	}
	data, err := json.MarshalIndent(merged, "", "\t")
	if err != nil {
		return bytes.Join(outputs, nil)
	}
	return append(data, '\n')
}

// joinDiagnostics joins two JSON lists of diagnostics; when either is not
// a list (an analyzer's error), that one is kept.
func joinDiagnostics(a, b json.RawMessage) json.RawMessage {
	if a == nil {
		return b
	}
	var la, lb []json.RawMessage
	if json.Unmarshal(a, &la) != nil {
		return a
	}
	if json.Unmarshal(b, &lb) != nil {
		return b
	}
	joined, err := json.Marshal(append(la, lb...))
	if err != nil {
		return a
	}
	return joined
}

// writeOutput writes data to the file go vet named, or to standard output
// when it named none.
func writeOutput(name string, data []byte) error {
	if name == "" {
		_, err := os.Stdout.Write(data)
		return err
	}
	if err := os.WriteFile(name, data, 0o666); err != nil {
		return fmt.Errorf("writing the output file: %w", err)
	}
	return nil
}

// mergeArchives writes the files of the zip archives parts (those that
// exist: a run with nothing to fix may write none) into the archive dst,
// commented with id as unitchecker comments its own.
func mergeArchives(dst, id string, parts []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("creating the archive of fixed files: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("writing the archive of fixed files: %w", cerr)
		}
	}()
	zw := zip.NewWriter(f)
	if err := zw.SetComment(id); err != nil {
		return fmt.Errorf("writing the archive of fixed files: %w", err)
	}
	for _, part := range parts {
		if err := copyArchive(zw, part); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("writing the archive of fixed files: %w", err)
	}
	return nil
}

// copyArchive adds the files of the zip archive at path to zw; a missing
// archive adds nothing.
func copyArchive(zw *zip.Writer, path string) error {
	zr, err := zip.OpenReader(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("reading the fixed files of a part: %w", err)
	}
	defer zr.Close()
	for _, file := range zr.File {
		r, err := file.Open()
		if err != nil {
			return fmt.Errorf("reading the fixed file %s: %w", file.Name, err)
		}
		w, err := zw.Create(file.Name)
		if err == nil {
			_, err = io.Copy(w, r)
		}
		r.Close()
		if err != nil {
			return fmt.Errorf("copying the fixed file %s: %w", file.Name, err)
		}
	}
	return nil
}
