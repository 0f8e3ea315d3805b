// Command score compares the findings of a precision-corpus run with the
// labels kept in the repository and prints, per module and per check, how
// many findings there are, how many are labelled and the precision, for
// non-test and test files separately. It lists every finding that still
// needs a label (all non-test findings and a fixed sample of test findings
// per module) and every label whose finding is gone.
//
// A finding is identified by a key that survives line shifts and changes of
// wording: a hash of the check, the file, the enclosing function and the
// text of the reported source line, plus an ordinal when one function has
// several such findings.
//
// Usage:
//
//	go run ./bench/corpus/score -modules modules.txt -labels DIR -results DIR -src DIR [-todo FILE]
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/findingkey"
)

// testSample is how many test findings per module must be labelled.
const testSample = 40

// finding is one diagnostic of a corpus run, as the check command prints it
// with -format json.
type finding struct {
	Check   string `json:"check"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Fixes   []struct {
		Message string `json:"message"`
	} `json:"fixes"`

	module string // short module name
	rel    string // file relative to the module root
	fn     string // enclosing function
	text   string // the reported source line, spaces collapsed
	key    string
	test   bool
}

// label is one row of a labels file.
type label struct {
	module, file, function, check, key, verdict, reason string
	used                                                bool
}

// The verdicts a label may carry.
const (
	verdictTrue       = "TRUE"
	verdictDefensible = "DEFENSIBLE"
	verdictFP         = "FP"
)

func main() {
	modules := flag.String("modules", "bench/corpus/modules.txt", "the corpus module list")
	labelsPath := flag.String("labels", "bench/corpus/labels", "the directory of labels files (MODULE.tsv)")
	results := flag.String("results", "", "directory with NAME.json results of the check command")
	src := flag.String("src", "", "directory holding each module's sources under its short name")
	todo := flag.String("todo", "", "write the findings that need a label to this file")
	list := flag.String("list", "", "also list the reported findings labelled with this verdict (TRUE, DEFENSIBLE or FP), with file:line and reason")
	flag.Parse()
	if err := run(*modules, *labelsPath, *results, *src, *todo, *list, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "score:", err)
		os.Exit(2)
	}
}

func run(modulesPath, labelsPath, results, src, todo, list string, out io.Writer) error {
	names, err := readModules(modulesPath)
	if err != nil {
		return err
	}
	labels, err := readLabels(labelsPath)
	if err != nil {
		return err
	}
	byKey := map[string]*label{}
	for _, l := range labels {
		byKey[l.module+"\t"+l.key] = l
	}
	var all []*finding
	for _, name := range names {
		fs, err := readFindings(filepath.Join(results, name+".json"), name, filepath.Join(src, name))
		if errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(out, "%s: no results (not run)\n", name)
			continue
		}
		if err != nil {
			return err
		}
		all = append(all, fs...)
	}
	var need []*finding
	var listed []string
	sampled := sampleTests(all)
	tab := newTable()
	for _, f := range all {
		l := byKey[f.module+"\t"+f.key]
		if l != nil {
			l.used = true
		}
		inScope := !f.test || sampled[f]
		if l == nil && inScope {
			need = append(need, f)
		}
		if l != nil && list != "" && l.verdict == list {
			listed = append(listed, fmt.Sprintf("  %s\t%s:%d\t%s\t%s\t%s", f.module, f.rel, f.Line, f.fn, f.Check, l.reason))
		}
		tab.add(f, l)
	}
	tab.print(out)
	printUnlabelled(out, need)
	printGone(out, labels, names)
	if list != "" {
		fmt.Fprintf(out, "\n%d reported findings labelled %s:\n%s\n", len(listed), list, strings.Join(listed, "\n"))
	}
	if todo != "" {
		if err := writeTodo(todo, need); err != nil {
			return err
		}
	}
	return nil
}

func readModules(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading module list: %w", err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names = append(names, shortName(strings.Fields(line)[0]))
	}
	return names, nil
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// shortName is the name a module goes by in the corpus: the last element
// of its path that is not a major version.
func shortName(modver string) string {
	mod, _, _ := strings.Cut(modver, "@")
	parts := strings.Split(mod, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if !majorVersion.MatchString(parts[i]) {
			return parts[i]
		}
	}
	return mod
}

// readLabels reads every MODULE.tsv of the labels directory.
func readLabels(dir string) ([]*label, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil {
		return nil, fmt.Errorf("listing labels: %w", err)
	}
	var all []*label
	for _, file := range files {
		labels, err := readLabelFile(file)
		if err != nil {
			return nil, err
		}
		all = append(all, labels...)
	}
	return all, nil
}

func readLabelFile(path string) ([]*label, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	defer f.Close()
	var labels []*label
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue // header, blank, comment
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 7 {
			return nil, fmt.Errorf("%s:%d: want 7 tab-separated columns (module file function check key verdict reason), have %d", path, n, len(cols))
		}
		l := &label{module: cols[0], file: cols[1], function: cols[2], check: cols[3], key: cols[4], verdict: cols[5], reason: cols[6]}
		switch l.verdict {
		case verdictTrue, verdictDefensible, verdictFP:
		default:
			return nil, fmt.Errorf("%s:%d: verdict %q is not TRUE, DEFENSIBLE or FP", path, n, l.verdict)
		}
		labels = append(labels, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	return labels, nil
}

func readFindings(path, module, root string) ([]*finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fs []*finding
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &fs); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	funcs := funcIndex{}
	lines := lineIndex{}
	for _, f := range fs {
		f.module = module
		f.rel = f.File
		if r, err := filepath.Rel(root, f.File); err == nil && !strings.HasPrefix(r, "..") {
			f.rel = filepath.ToSlash(r)
		}
		f.test = strings.HasSuffix(f.rel, "_test.go")
		f.fn = funcs.enclosing(f.File, f.Line)
		f.text = lines.text(f.File, f.Line)
	}
	assignKeys(fs)
	return fs, nil
}

// assignKeys gives every finding its stable key (findingkey.Assign): the
// hash of what it is about, plus an ordinal among findings with the same
// hash (in line order). Findings are left sorted by file and line.
func assignKeys(fs []*finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].rel != fs[j].rel {
			return fs[i].rel < fs[j].rel
		}
		return fs[i].Line < fs[j].Line
	})
	subjects := make([]findingkey.Subject, len(fs))
	for i, f := range fs {
		subjects[i] = findingkey.Subject{Parts: []string{f.Check, f.rel, f.fn, f.text}, File: f.rel, Line: f.Line}
	}
	for i, k := range findingkey.Assign(subjects) {
		fs[i].key = k
	}
}

// lineIndex returns the text of a source line, reading each file once.
type lineIndex map[string][]string

func (ix lineIndex) text(file string, line int) string {
	lines, ok := ix[file]
	if !ok {
		data, _ := os.ReadFile(file)
		lines = strings.Split(string(data), "\n")
		ix[file] = lines
	}
	if line < 1 || line > len(lines) {
		return ""
	}
	return strings.Join(strings.Fields(lines[line-1]), " ")
}

// funcIndex finds the function declaration enclosing a line, parsing each
// file once.
type funcIndex map[string][]funcSpan

type funcSpan struct {
	name       string
	start, end int
}

func (ix funcIndex) enclosing(file string, line int) string {
	spans, ok := ix[file]
	if !ok {
		spans = parseSpans(file)
		ix[file] = spans
	}
	for _, s := range spans {
		if s.start <= line && line <= s.end {
			return s.name
		}
	}
	return "-"
}

func parseSpans(file string) []funcSpan {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil || f == nil {
		return nil
	}
	var spans []funcSpan
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			spans = append(spans, funcSpan{name: findingkey.DeclName(fd), start: fset.Position(fd.Pos()).Line, end: fset.Position(fd.End()).Line})
		} else {
			spans = append(spans, funcSpan{name: findingkey.PackageLevel, start: fset.Position(d.Pos()).Line, end: fset.Position(d.End()).Line})
		}
	}
	return spans
}

// sampleTests picks, per module, the test findings that must be labelled:
// the first testSample in key order (keys are hashes, so the choice is
// random but stable across runs).
func sampleTests(all []*finding) map[*finding]bool {
	byModule := map[string][]*finding{}
	for _, f := range all {
		if f.test {
			byModule[f.module] = append(byModule[f.module], f)
		}
	}
	out := map[*finding]bool{}
	for _, fs := range byModule {
		sort.Slice(fs, func(i, j int) bool { return fs[i].key < fs[j].key })
		for i, f := range fs {
			if i < testSample {
				out[f] = true
			}
		}
	}
	return out
}

// counts are the figures of one row of the precision table.
type counts struct {
	findings, fixes, labelled, tp, def, fp int
}

func (c *counts) add(f *finding, l *label) {
	c.findings++
	if len(f.Fixes) > 0 {
		c.fixes++
	}
	if l == nil {
		return
	}
	c.labelled++
	switch l.verdict {
	case verdictTrue:
		c.tp++
	case verdictDefensible:
		c.def++
	case verdictFP:
		c.fp++
	}
}

func (c counts) fpRate() string {
	if c.labelled == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(c.fp)/float64(c.labelled))
}

// table accumulates counts per (module, check, test) and totals.
type table struct {
	rows map[[3]string]*counts
}

func newTable() *table { return &table{rows: map[[3]string]*counts{}} }

func (t *table) add(f *finding, l *label) {
	part := "non-test"
	if f.test {
		part = "test"
	}
	for _, k := range [][3]string{{f.module, f.Check, part}, {"ALL", f.Check, part}, {f.module, "ALL", part}, {"ALL", "ALL", part}} {
		c := t.rows[k]
		if c == nil {
			c = &counts{}
			t.rows[k] = c
		}
		c.add(f, l)
	}
}

func (t *table) print(out io.Writer) {
	keys := make([][3]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	order := func(s string) string {
		if s == "ALL" {
			return "\xff"
		}
		return s
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		for n := 0; n < 3; n++ {
			if a[n] != b[n] {
				return order(a[n]) < order(b[n])
			}
		}
		return false
	})
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "module\tcheck\tpart\tfindings\twith fix\tlabelled\tTRUE\tDEFENSIBLE\tFP\tFP rate\t")
	for _, k := range keys {
		c := t.rows[k]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", k[0], k[1], k[2], c.findings, c.fixes, c.labelled, c.tp, c.def, c.fp, c.fpRate())
	}
	tw.Flush()
}

func printUnlabelled(out io.Writer, need []*finding) {
	if len(need) == 0 {
		fmt.Fprintln(out, "\nevery finding in scope is labelled")
		return
	}
	fmt.Fprintf(out, "\n%d findings need a label:\n", len(need))
	for _, f := range need {
		fmt.Fprintf(out, "  %s\t%s:%d\t%s\t%s\t%s\t%s\n", f.module, f.rel, f.Line, f.fn, f.Check, f.key, f.Message)
	}
}

func printGone(out io.Writer, labels []*label, names []string) {
	run := map[string]bool{}
	for _, n := range names {
		run[n] = true
	}
	var gone []*label
	for _, l := range labels {
		if !l.used && run[l.module] {
			gone = append(gone, l)
		}
	}
	if len(gone) == 0 {
		return
	}
	fmt.Fprintf(out, "\n%d labelled findings are no longer reported:\n", len(gone))
	for _, l := range gone {
		fmt.Fprintf(out, "  %s\t%s\t%s\t%s\t%s\t%s\n", l.module, l.file, l.function, l.check, l.verdict, l.reason)
	}
}

// writeTodo writes the findings that need a label in the labels files' column
// column order, with an empty verdict and the line and message as the reason, for
// a labeller to complete.
func writeTodo(path string, need []*finding) error {
	var b strings.Builder
	b.WriteString("module\tfile\tfunction\tcheck\tkey\tverdict\treason\tline\tmessage\n")
	for _, f := range need {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t\t\t%d\t%s\n", f.module, f.rel, f.fn, f.Check, f.key, f.Line, f.Message)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
