// Command fixcheck reports what `lifecycle-lsp check -fix` did to the
// modules of the precision corpus, from the files bench/corpus/fixcheck.sh
// leaves in its results directory: per module and per check, the findings,
// those with a fix, those the fixes removed and those they introduced; per
// module the summary line of -fix, whether the fixed copy still builds and
// vets (only errors the untouched copy does not have count) and which
// changed files gofmt would rewrite. Every new build or vet error is listed
// with the fixes applied nearest to it, so a bad fix can be traced to its
// check.
//
// A finding is matched before and after the fixes by the key the check
// command gives it in -format json (a hash of check, file, function and
// message, which survives line shifts).
//
// Usage:
//
//	go run ./bench/corpus/fixcheck -results DIR -src DIR -orig DIR
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

func main() {
	results := flag.String("results", "", "the results directory of fixcheck.sh (one subdirectory per module)")
	src := flag.String("src", "", "the directory holding each module's fixed copy under its short name")
	orig := flag.String("orig", "", "the directory holding each module's untouched sources under its short name")
	flag.Parse()
	if *results == "" || *src == "" || *orig == "" {
		fmt.Fprintln(os.Stderr, "fixcheck: -results, -src and -orig are required")
		os.Exit(2)
	}
	if err := run(*results, *src, *orig, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fixcheck:", err)
		os.Exit(2)
	}
}

// finding is one diagnostic as the check command prints it with -format json.
type finding struct {
	Check   string `json:"check"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Key     string `json:"key"`
	Fixes   []struct {
		Message string `json:"message"`
		Edits   []struct {
			File  string `json:"file"`
			Start int    `json:"start"`
			End   int    `json:"end"`
		} `json:"edits"`
	} `json:"fixes"`
}

// row is one line of the table.
type row struct {
	findings, withFix, fixed, otherGone, added, newErrors int
	badFix                                                int // errors of an undone -fix round
}

// buildError is one error line of go build or go vet.
type buildError struct {
	tool, file string
	line       int
	msg        string
}

func (e buildError) String() string {
	if e.file == "" {
		return fmt.Sprintf("%s: %s", e.tool, e.msg)
	}
	return fmt.Sprintf("%s: %s:%d: %s", e.tool, e.file, e.line, e.msg)
}

// moduleReport is everything reported about one module.
type moduleReport struct {
	name      string
	rows      map[string]*row
	summary   []string
	buildExit [2]string // go build exit status, before and after
	vetExit   [2]string
	newErrors []attributed
	undone    []attributed // errors of the fixed text of an undone -fix round
	gofmt     []string
	changed   int
}

type attributed struct {
	err     buildError
	suspect []string // the applied fixes nearest to the error
}

func run(results, src, orig string, out io.Writer) error {
	names, err := moduleNames(results)
	if err != nil {
		return err
	}
	commit, _ := os.ReadFile(filepath.Join(results, "commit"))
	fmt.Fprintf(out, "lifecycle-lsp at %s\n\n", strings.TrimSpace(string(commit)))
	var reports []*moduleReport
	for _, name := range names {
		dir := filepath.Join(results, name)
		if _, err := os.Stat(filepath.Join(dir, "fixed.vet")); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(out, "%s: the run did not finish\n", name)
			continue
		}
		r, err := readModule(name, dir, filepath.Join(src, name), filepath.Join(orig, name))
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	printTable(out, reports)
	for _, r := range reports {
		printDetails(out, r)
	}
	return nil
}

// moduleNames lists the modules with results: the subdirectories of the
// results directory, in name order.
func moduleNames(results string) ([]string, error) {
	entries, err := os.ReadDir(results)
	if err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func readModule(name, dir, work, orig string) (*moduleReport, error) {
	before, err := readFindings(filepath.Join(dir, "before.json"))
	if err != nil {
		return nil, err
	}
	after, err := readFindings(filepath.Join(dir, "after.json"))
	if err != nil {
		return nil, err
	}
	r := &moduleReport{name: name, rows: map[string]*row{}}
	get := func(check string) *row {
		if r.rows[check] == nil {
			r.rows[check] = &row{}
		}
		return r.rows[check]
	}
	remaining := map[string]int{}
	for _, f := range after {
		remaining[f.Key]++
	}
	var fixed []finding
	for _, f := range before {
		c := get(f.Check)
		c.findings++
		if len(f.Fixes) > 0 {
			c.withFix++
		}
		if remaining[f.Key] > 0 {
			remaining[f.Key]--
			continue
		}
		if len(f.Fixes) > 0 {
			c.fixed++
			fixed = append(fixed, f)
		} else {
			c.otherGone++
		}
	}
	had := map[string]int{}
	for _, f := range before {
		had[f.Key]++
	}
	for _, f := range after {
		if had[f.Key] > 0 {
			had[f.Key]--
			continue
		}
		get(f.Check).added++
	}
	var withFix []finding
	for _, f := range before {
		if len(f.Fixes) > 0 {
			withFix = append(withFix, f)
		}
	}
	lines := lineOffsets{}
	if data, err := os.ReadFile(filepath.Join(dir, "fix.stderr")); err == nil {
		undone := false
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "lifecycle-lsp: applied") || strings.Contains(line, "they were not applied") {
				r.summary = append(r.summary, line)
				undone = undone || strings.Contains(line, "they were not applied")
				continue
			}
			// What the undone round's fixed text did not load with.
			if m := errorLine.FindStringSubmatch(line); undone && m != nil {
				n, _ := strconv.Atoi(m[2])
				e := buildError{tool: "undone round", file: strings.TrimPrefix(m[1], "./"), line: n, msg: m[3]}
				a := attributed{err: e, suspect: suspects(e, withFix, work, orig, lines)}
				get(checkOf(a)).badFix++
				r.undone = append(r.undone, a)
			}
		}
	}
	if len(r.summary) == 0 {
		exit, _ := os.ReadFile(filepath.Join(dir, "fix.exit"))
		r.summary = append(r.summary, fmt.Sprintf("no summary line from check -fix (exit %s; see %s)", strings.TrimSpace(string(exit)), filepath.Join(dir, "fix.stderr")))
	}
	var newErrs []buildError
	for i, tool := range []string{"build", "vet"} {
		base, baseExit, err := readBuildLog(filepath.Join(dir, "base."+tool), tool)
		if err != nil {
			return nil, err
		}
		fixedErrs, fixedExit, err := readBuildLog(filepath.Join(dir, "fixed."+tool), tool)
		if err != nil {
			return nil, err
		}
		exits := [2]string{baseExit, fixedExit}
		if i == 0 {
			r.buildExit = exits
		} else {
			r.vetExit = exits
		}
		newErrs = append(newErrs, subtract(fixedErrs, base)...)
	}
	newErrs = dedupe(newErrs)
	for _, e := range newErrs {
		a := attributed{err: e, suspect: suspects(e, fixed, work, orig, lines)}
		get(checkOf(a)).newErrors++
		r.newErrors = append(r.newErrors, a)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "gofmt")); err == nil {
		// Only files gofmt-clean before the fixes count.
		unclean := map[string]bool{}
		if before, err := os.ReadFile(filepath.Join(dir, "gofmt.before")); err == nil {
			for _, f := range nonEmpty(strings.Split(string(before), "\n")) {
				unclean[f] = true
			}
		}
		for _, f := range nonEmpty(strings.Split(string(data), "\n")) {
			if !unclean[f] {
				r.gofmt = append(r.gofmt, f)
			}
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "changed")); err == nil {
		r.changed = len(nonEmpty(strings.Split(string(data), "\n")))
	}
	return r, nil
}

// checkOf returns the check of the fix nearest to an error, or "?".
func checkOf(a attributed) string {
	if len(a.suspect) == 0 {
		return "?"
	}
	check, _, _ := strings.Cut(a.suspect[0], " ")
	return check
}

func readFindings(path string) ([]finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading findings: %w", err)
	}
	var fs []finding
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &fs); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return fs, nil
}

// errorLine matches the error lines of go build and go vet ("vet: " is
// how go vet prefixes type errors).
var errorLine = regexp.MustCompile(`^(?:vet: )?(\S+?\.go):(\d+)(?::\d+)?: (.*)$`)

// readBuildLog reads what fixcheck.sh recorded of go build or go vet: its
// error lines and, on the last line, "exit N".
func readBuildLog(path, tool string) ([]buildError, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("reading %s log: %w", tool, err)
	}
	defer f.Close()
	var errs []buildError
	exit := "?"
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if s, ok := strings.CutPrefix(line, "exit "); ok {
			exit = s
			continue
		}
		if m := errorLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			errs = append(errs, buildError{tool: tool, file: strings.TrimPrefix(m[1], "./"), line: n, msg: m[3]})
			continue
		}
		// Other lines are package headers ("# pkg") and go command
		// errors; the latter count too.
		if strings.HasPrefix(line, "go: ") || strings.HasPrefix(line, "package ") {
			errs = append(errs, buildError{tool: tool, msg: line})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, "", fmt.Errorf("reading %s log: %w", tool, err)
	}
	return errs, exit, nil
}

// subtract returns the errors of after that before does not have, an
// error being its file and message (lines shift when fixes add lines).
func subtract(after, before []buildError) []buildError {
	key := func(e buildError) string { return e.file + "\x00" + e.msg }
	had := map[string]int{}
	for _, e := range before {
		had[key(e)]++
	}
	var out []buildError
	for _, e := range after {
		if had[key(e)] > 0 {
			had[key(e)]--
			continue
		}
		out = append(out, e)
	}
	return out
}

// dedupe merges the errors go build and go vet both report.
func dedupe(errs []buildError) []buildError {
	index := map[string]int{}
	var out []buildError
	for _, e := range errs {
		k := fmt.Sprintf("%s\x00%d\x00%s", e.file, e.line, e.msg)
		if i, ok := index[k]; ok {
			if !strings.Contains(out[i].tool, e.tool) {
				out[i].tool += "+" + e.tool
			}
			continue
		}
		index[k] = len(out)
		out = append(out, e)
	}
	return out
}

// suspects lists the applied fixes that edited the error's file, nearest
// first (the line of a fix's first edit in the untouched file).
func suspects(e buildError, fixed []finding, work, orig string, lines lineOffsets) []string {
	if e.file == "" {
		return nil
	}
	type cand struct {
		dist int
		text string
	}
	var cands []cand
	for _, f := range fixed {
		for _, ed := range f.Fixes[0].Edits {
			rel, err := filepath.Rel(work, ed.File)
			if err != nil || filepath.ToSlash(rel) != e.file {
				continue
			}
			line := lines.line(filepath.Join(orig, rel), ed.Start)
			d := line - e.line
			if d < 0 {
				d = -d
			}
			cands = append(cands, cand{d, fmt.Sprintf("%s fix of the finding at line %d (edit at untouched line %d): %s", f.Check, f.Line, line, f.Fixes[0].Message)})
			break
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i, c := range cands {
		if i == 2 {
			break
		}
		out = append(out, c.text)
	}
	return out
}

// lineOffsets turns byte offsets of files into line numbers, reading each
// file once.
type lineOffsets map[string][]byte

func (lo lineOffsets) line(file string, offset int) int {
	data, ok := lo[file]
	if !ok {
		data, _ = os.ReadFile(file)
		lo[file] = data
	}
	if offset > len(data) {
		offset = len(data)
	}
	return 1 + strings.Count(string(data[:offset]), "\n")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func printTable(out io.Writer, reports []*moduleReport) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "module\tcheck\tfindings\twith fix\tfixed\tother gone\tnew\tundone-round errors\tbuild/vet after\t")
	total := map[string]*row{}
	addTo := func(m map[string]*row, check string, r *row) {
		t := m[check]
		if t == nil {
			t = &row{}
			m[check] = t
		}
		t.findings += r.findings
		t.withFix += r.withFix
		t.fixed += r.fixed
		t.otherGone += r.otherGone
		t.added += r.added
		t.newErrors += r.newErrors
		t.badFix += r.badFix
	}
	line := func(module, check string, r *row) {
		status := "ok"
		if r.newErrors > 0 {
			status = fmt.Sprintf("NEW FAILURES %d", r.newErrors)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", module, check, r.findings, r.withFix, r.fixed, r.otherGone, r.added, r.badFix, status)
	}
	for _, m := range reports {
		all := &row{}
		for _, check := range sortedChecks(m.rows) {
			line(m.name, check, m.rows[check])
			addTo(total, check, m.rows[check])
			addTo(map[string]*row{"": all}, "", m.rows[check])
		}
		line(m.name, "ALL", all)
		addTo(total, "ALL", all)
	}
	for _, check := range sortedChecks(total) {
		if check != "ALL" {
			line("ALL", check, total[check])
		}
	}
	if t := total["ALL"]; t != nil {
		line("ALL", "ALL", t)
	}
	tw.Flush()
}

func sortedChecks(m map[string]*row) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == "ALL") != (out[j] == "ALL") {
			return out[j] == "ALL"
		}
		return out[i] < out[j]
	})
	return out
}

func printDetails(out io.Writer, r *moduleReport) {
	fmt.Fprintf(out, "\n%s: %d files changed; go build exit %s before, %s after; go vet exit %s before, %s after\n",
		r.name, r.changed, r.buildExit[0], r.buildExit[1], r.vetExit[0], r.vetExit[1])
	for _, s := range r.summary {
		fmt.Fprintf(out, "  %s\n", s)
	}
	if len(r.gofmt) > 0 {
		fmt.Fprintf(out, "  gofmt -l lists %d changed files that were gofmt-clean before: %s\n", len(r.gofmt), strings.Join(r.gofmt, " "))
	}
	for _, a := range r.undone {
		fmt.Fprintf(out, "  UNDONE %s\n", a.err)
		for _, s := range a.suspect {
			fmt.Fprintf(out, "      from? %s\n", s)
		}
	}
	for _, a := range r.newErrors {
		fmt.Fprintf(out, "  NEW %s\n", a.err)
		for _, s := range a.suspect {
			fmt.Fprintf(out, "      from? %s\n", s)
		}
	}
}
