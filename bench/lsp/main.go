// Command lsp benchmarks lifecycle-lsp as a language server against gopls
// and against the floor of go/types type-checking the edited package.
//
// It acts as an LSP client over stdio. For each server it measures the
// time from initialize to the first diagnostics of the opened file (and,
// for lifecycle-lsp, to the end of the workspace analysis), then N
// single-line edits in a large package file, each timed from didChange to
// the publishDiagnostics of that file's new version, and the server's peak
// RSS (VmHWM). The floor is the median time go/types needs to parse and
// type-check the edited package with its dependencies already imported.
//
// With -leak, the edits alternately insert and delete a line that leaks a
// context's cancel function (a finding both lifecycle-lsp and gopls's
// lostcancel report), and the report gives typed→reported (insertion to
// the first publication of that version showing the finding) and
// removed→cleared (deletion to the first publication of that version
// without it) instead of the edit latency.
//
// Usage: go run ./bench/lsp [-workspace DIR -file REL] [-edits 50] [-gopls PATH] [-leak] [-runs N]
// Without -workspace it benchmarks a copy of golang.org/x/tools from the
// module cache, editing go/ssa/builder.go. With -runs N each server is
// measured N times and the medians are reported.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/packages"
)

func main() {
	workspace := flag.String("workspace", "", "module directory to benchmark (default: a copy of golang.org/x/tools)")
	file := flag.String("file", "go/ssa/builder.go", "file to edit, relative to the workspace")
	line := flag.Int("line", 0, "0-based line to edit (default: the first comment line in the middle of the file)")
	edits := flag.Int("edits", 50, "number of edits")
	server := flag.String("server", "", "lifecycle-lsp binary (default: built from this repository)")
	gopls := flag.String("gopls", "", "gopls binary (default: installed into a temp dir: gopls@v0.23.0)")
	skipGopls := flag.Bool("skip-gopls", false, "do not run gopls")
	flag.BoolVar(&leakMode, "leak", false, "edits alternately insert and delete a leaking line (-leak-text) before -line (default: the line after the file's first \"defer cancel()\")")
	flag.StringVar(&leakText, "leak-text", "\tctx2, _ := context.WithCancel(ctx); _ = ctx2", "the leaking line inserted by -leak")
	flag.IntVar(&runs, "runs", 1, "measure each server this many times and report the medians")
	flag.StringVar(&serverCPUProfile, "server-cpuprofile", "", "write a CPU profile of lifecycle-lsp's whole run to this file")
	flag.StringVar(&serverMemProfile, "server-memprofile", "", "write a heap profile of lifecycle-lsp to this file when it exits")
	flag.StringVar(&serverLog, "server-log", "", "append lifecycle-lsp's standard error, log messages and publications (timed) to this file")
	flag.Parse()
	if err := run(*workspace, *file, *line, *edits, *server, *gopls, *skipGopls); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// Flags of the leak mode and of repeated runs.
var (
	leakMode bool
	leakText string
	runs     int
)

type result struct {
	name        string
	firstDiag   time.Duration
	complete    time.Duration
	edits       []time.Duration
	peakRSSKB   int64
	missedEdits int
	// In leak mode: the insertion and deletion latencies.
	reported, cleared []time.Duration
}

func run(workspace, file string, line, nedits int, server, gopls string, skipGopls bool) error {
	tmp, err := os.MkdirTemp("", "lsp-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if workspace == "" {
		workspace, err = copyTools(tmp)
		if err != nil {
			return err
		}
	}
	workspace, _ = filepath.Abs(workspace)
	path := filepath.Join(workspace, file)
	content, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading the file to edit: %w", err)
	}
	if line == 0 && leakMode {
		line = pickLeakLine(string(content))
	} else if line == 0 {
		line = pickLine(string(content))
	}
	if server == "" {
		server = filepath.Join(tmp, "lifecycle-lsp")
		cmd := exec.Command("go", "build", "-o", server, "./cmd/lifecycle-lsp")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building lifecycle-lsp (run from the repository root): %w", err)
		}
	}
	if gopls == "" && !skipGopls {
		bin := filepath.Join(tmp, "bin")
		fmt.Fprintln(os.Stderr, "bench: installing gopls@v0.23.0")
		cmd := exec.Command("go", "install", "golang.org/x/tools/gopls@v0.23.0")
		cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=-mod=mod")
		cmd.Dir = tmp
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("installing gopls: %w", err)
		}
		gopls = filepath.Join(bin, "gopls")
	}

	fmt.Fprintf(os.Stderr, "bench: floor (go/types on the package of %s)\n", file)
	floor, pkgFiles, err := typeCheckFloor(workspace, path)
	if err != nil {
		return fmt.Errorf("measuring the floor: %w", err)
	}
	var results []result
	fmt.Fprintln(os.Stderr, "bench: lifecycle-lsp")
	argv := []string{server}
	if serverCPUProfile != "" {
		argv = append(argv, "-cpuprofile="+serverCPUProfile)
	}
	if serverMemProfile != "" {
		argv = append(argv, "-memprofile="+serverMemProfile)
	}
	r, err := measureRuns("lifecycle-lsp", argv, nil, workspace, path, string(content), line, nedits, true)
	if err != nil {
		return err
	}
	results = append(results, r)
	if !skipGopls {
		fmt.Fprintln(os.Stderr, "bench: gopls")
		r, err := measureRuns("gopls v0.23.0", []string{gopls}, map[string]any{}, workspace, path, string(content), line, nedits, false)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	report(os.Stdout, workspace, file, line, pkgFiles, floor, results)
	return nil
}

// copyTools copies golang.org/x/tools from the module cache into dir and
// downloads its dependencies.
func copyTools(dir string) (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/tools").Output()
	if err != nil {
		return "", fmt.Errorf("locating golang.org/x/tools (run from the repository root): %w", err)
	}
	src := strings.TrimSpace(string(out))
	dst := filepath.Join(dir, "tools")
	if err := exec.Command("cp", "-r", src, dst).Run(); err != nil {
		return "", fmt.Errorf("copying %s: %w", src, err)
	}
	if err := exec.Command("chmod", "-R", "u+w", dst).Run(); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dst
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go mod download in the copy: %w", err)
	}
	return dst, nil
}

// pickLine returns a comment line near the middle of the file: editing it
// changes no API, like most keystrokes.
func pickLine(text string) int {
	lines := strings.Split(text, "\n")
	for i := len(lines) / 2; i < len(lines); i++ {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "//") {
			return i
		}
	}
	return len(lines) / 2
}

// pickLeakLine returns the line after the first "defer cancel()": a
// statement inserted there may use ctx.
func pickLeakLine(text string) int {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "defer cancel()" {
			return i + 1
		}
	}
	return len(lines) / 2
}

// measureRuns measures a server runs times and returns the medians: of
// the scalar figures, and of each run's latency percentiles (the latency
// samples of the run whose p50 is the median are kept).
func measureRuns(name string, argv []string, opts any, dir, path, content string, line, nedits int, progressEnd bool) (result, error) {
	var rs []result
	for i := 0; i < max(runs, 1); i++ {
		if runs > 1 {
			fmt.Fprintf(os.Stderr, "bench: %s run %d/%d\n", name, i+1, runs)
		}
		r, err := measure(name, argv, opts, dir, path, content, line, nedits, progressEnd)
		if err != nil {
			return result{}, err
		}
		if runs > 1 {
			fmt.Fprintf(os.Stderr, "bench:   first diags %s, edit p50 %s, typed→reported p50 %s, removed→cleared p50 %s, peak RSS %d MB, missed %d\n",
				ms(r.firstDiag), ms(percentile(r.edits, 50)), ms(percentile(r.reported, 50)), ms(percentile(r.cleared, 50)), r.peakRSSKB/1024, r.missedEdits)
		}
		rs = append(rs, r)
	}
	if len(rs) == 1 {
		return rs[0], nil
	}
	out := result{name: fmt.Sprintf("%s (median of %d)", name, len(rs))}
	var first, complete []time.Duration
	var rss []int64
	for _, r := range rs {
		first = append(first, r.firstDiag)
		complete = append(complete, r.complete)
		rss = append(rss, r.peakRSSKB)
		out.missedEdits = max(out.missedEdits, r.missedEdits)
	}
	out.firstDiag, out.complete = median(first), median(complete)
	sort.Slice(rss, func(i, j int) bool { return rss[i] < rss[j] })
	out.peakRSSKB = rss[len(rss)/2]
	out.edits = medianRun(rs, func(r result) []time.Duration { return r.edits })
	out.reported = medianRun(rs, func(r result) []time.Duration { return r.reported })
	out.cleared = medianRun(rs, func(r result) []time.Duration { return r.cleared })
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// medianRun returns the samples of the run whose p50 is the median p50.
func medianRun(rs []result, get func(result) []time.Duration) []time.Duration {
	s := append([]result(nil), rs...)
	sort.Slice(s, func(i, j int) bool { return percentile(get(s[i]), 50) < percentile(get(s[j]), 50) })
	return get(s[len(s)/2])
}

// typeCheckFloor measures parsing and type-checking the package of path,
// its dependencies imported from export data.
func typeCheckFloor(dir, path string) (time.Duration, int, error) {
	cfg := &packages.Config{Dir: filepath.Dir(path), Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedTypes}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return 0, 0, err
	}
	if len(pkgs) != 1 {
		return 0, 0, fmt.Errorf("%d packages", len(pkgs))
	}
	p := pkgs[0]
	imp := importerFunc(func(ip string) (*types.Package, error) {
		if ip == "unsafe" {
			return types.Unsafe, nil
		}
		if d := p.Imports[ip]; d != nil && d.Types != nil {
			return d.Types, nil
		}
		return nil, fmt.Errorf("no %s", ip)
	})
	var times []time.Duration
	for i := 0; i < 15; i++ {
		start := time.Now()
		fset := token.NewFileSet()
		var files []*ast.File
		for _, f := range p.GoFiles {
			af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
			if err != nil {
				return 0, 0, err
			}
			files = append(files, af)
		}
		info := &types.Info{
			Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
			Implicits: map[ast.Node]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}, Scopes: map[ast.Node]*types.Scope{},
			Instances: map[*ast.Ident]types.Instance{}, FileVersions: map[*ast.File]string{},
		}
		conf := types.Config{Importer: imp, Error: func(error) {}}
		if _, err := conf.Check(p.PkgPath, fset, files, info); err != nil {
			return 0, 0, fmt.Errorf("type-checking %s: %w", p.PkgPath, err)
		}
		times = append(times, time.Since(start))
	}
	return percentile(times, 50), len(p.GoFiles), nil
}

// The -server-cpuprofile, -server-memprofile and -server-log flags.
var serverCPUProfile, serverMemProfile, serverLog string

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

// lspClient is a minimal LSP client over a child process's stdio.
type lspClient struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	mu    sync.Mutex
	id    int
	resp  map[int]chan json.RawMessage
	notes chan note
	// log, when set, receives the server's window/logMessage and
	// publishDiagnostics notifications, timed from started.
	log     io.Writer
	started time.Time
}

type note struct {
	method string
	params json.RawMessage
	at     time.Time
}

func start(argv []string, dir string) (*lspClient, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stderr = io.Discard
	var logFile io.Writer
	if serverLog != "" && strings.Contains(filepath.Base(argv[0]), "lifecycle") {
		f, err := os.OpenFile(serverLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, fmt.Errorf("server log: %w", err)
		}
		cmd.Stderr, logFile = f, f
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	c := &lspClient{cmd: cmd, in: in, resp: map[int]chan json.RawMessage{}, notes: make(chan note, 100000), log: logFile, started: time.Now()}
	go c.read(bufio.NewReaderSize(out, 1<<20))
	return c, nil
}

func (c *lspClient) read(r *bufio.Reader) {
	for {
		length := 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(c.notes)
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length:"); ok {
				length, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			close(c.notes)
			return
		}
		now := time.Now()
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Result json.RawMessage `json:"result"`
		}
		_ = json.Unmarshal(body, &m)
		switch {
		case m.Method != "" && len(m.ID) > 0: // server request: answer null
			if m.Method == "workspace/configuration" {
				c.write(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":[{}]}`, m.ID))
			} else {
				c.write(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"result":null}`, m.ID))
			}
			c.notes <- note{m.Method, m.Params, now}
		case m.Method != "":
			if c.log != nil && (m.Method == "window/logMessage" || m.Method == "textDocument/publishDiagnostics") {
				fmt.Fprintf(c.log, "%8.1f ms %s %.200s\n", float64(now.Sub(c.started).Microseconds())/1000, m.Method, m.Params)
			}
			c.notes <- note{m.Method, m.Params, now}
		default:
			id, _ := strconv.Atoi(string(m.ID))
			c.mu.Lock()
			ch := c.resp[id]
			c.mu.Unlock()
			if ch != nil {
				ch <- m.Result
			}
		}
	}
}

func (c *lspClient) write(body string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (c *lspClient) call(method string, params any) (json.RawMessage, error) {
	c.mu.Lock()
	c.id++
	id := c.id
	ch := make(chan json.RawMessage, 1)
	c.resp[id] = ch
	c.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	c.write(string(b))
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(5 * time.Minute):
		return nil, fmt.Errorf("%s: no response", method)
	}
}

func (c *lspClient) notify(method string, params any) {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	c.write(string(b))
}

// waitNote waits for a notification matching ok.
func (c *lspClient) waitNote(ctx context.Context, ok func(note) bool) (note, error) {
	for {
		select {
		case n, open := <-c.notes:
			if !open {
				return note{}, fmt.Errorf("server closed the connection")
			}
			if ok(n) {
				return n, nil
			}
		case <-ctx.Done():
			return note{}, ctx.Err()
		}
	}
}

func isDiagFor(uri string, version int) func(note) bool {
	return func(n note) bool {
		if n.method != "textDocument/publishDiagnostics" {
			return false
		}
		var p struct {
			URI     string `json:"uri"`
			Version int    `json:"version"`
		}
		_ = json.Unmarshal(n.params, &p)
		return p.URI == uri && (version < 0 || p.Version == version)
	}
}

func measure(name string, argv []string, opts any, dir, path, content string, line, nedits int, progressEnd bool) (result, error) {
	res := result{name: name}
	c, err := start(argv, dir)
	if err != nil {
		return res, err
	}
	defer c.cmd.Process.Kill()
	uri := "file://" + path
	t0 := time.Now()
	caps := map[string]any{
		"window":       map[string]any{"workDoneProgress": true},
		"workspace":    map[string]any{"configuration": true, "workspaceFolders": true},
		"textDocument": map[string]any{"publishDiagnostics": map[string]any{"relatedInformation": true, "versionSupport": true}},
	}
	if _, err := c.call("initialize", map[string]any{"processId": os.Getpid(), "rootUri": "file://" + dir,
		"workspaceFolders": []any{map[string]any{"uri": "file://" + dir, "name": "ws"}}, "capabilities": caps, "initializationOptions": opts}); err != nil {
		return res, err
	}
	c.notify("initialized", map[string]any{})
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": content}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var sawEnd bool
	first, err := c.waitNote(ctx, func(n note) bool {
		if n.method == "$/progress" && strings.Contains(string(n.params), `"end"`) {
			sawEnd = true
			res.complete = n.at.Sub(t0)
		}
		return isDiagFor(uri, 1)(n)
	})
	if err != nil {
		return res, fmt.Errorf("%s: waiting for the first diagnostics: %w", name, err)
	}
	res.firstDiag = first.at.Sub(t0)
	if progressEnd && !sawEnd {
		n, err := c.waitNote(ctx, func(n note) bool {
			return n.method == "$/progress" && strings.Contains(string(n.params), `"end"`) && strings.Contains(string(n.params), "done")
		})
		if err != nil {
			return res, fmt.Errorf("%s: waiting for the end of the workspace analysis: %w", name, err)
		}
		res.complete = n.at.Sub(t0)
	}
	// Let background work settle before timing edits.
	time.Sleep(2 * time.Second)
	drain(c)
	lines := strings.Split(content, "\n")
	if leakMode {
		leakEdits(c, &res, ctx, uri, line, nedits)
		return finish(c, res), nil
	}
	orig := lines[line]
	for i := 0; i < nedits; i++ {
		v := i + 2
		text := fmt.Sprintf("%s // edit %d", orig, i)
		c.notify("textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{map[string]any{
				"range": map[string]any{"start": map[string]int{"line": line, "character": 0}, "end": map[string]int{"line": line, "character": len(utf16(lines[line]))}},
				"text":  text,
			}},
		})
		lines[line] = text
		t := time.Now()
		ectx, ecancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := c.waitNote(ectx, isDiagFor(uri, v))
		ecancel()
		if err != nil {
			res.missedEdits++
			continue
		}
		res.edits = append(res.edits, n.at.Sub(t))
		time.Sleep(100 * time.Millisecond)
		drain(c)
	}
	return finish(c, res), nil
}

// finish records the peak RSS of the server and shuts it down.
func finish(c *lspClient, res result) result {
	res.peakRSSKB = peakRSS(c.cmd.Process.Pid)
	_, _ = c.call("shutdown", nil)
	c.notify("exit", nil)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	return res
}

// leakEdits alternately inserts leakText before line (followed by a
// comment naming the edit and the time, so that no insertion repeats a
// text a cache could answer for, in this run or an earlier one) and deletes it again,
// timing each insertion until a publication of its version reports a
// finding on line, and each deletion until a publication of its version
// reports none there.
func leakEdits(c *lspClient, res *result, ctx context.Context, uri string, line, nedits int) {
	for i := 0; i < nedits; i++ {
		v := i + 2
		insert := i%2 == 0
		change := map[string]any{
			"range": map[string]any{"start": map[string]int{"line": line, "character": 0}, "end": map[string]int{"line": line, "character": 0}},
			"text":  fmt.Sprintf("%s // edit %d of %d\n", leakText, i, time.Now().UnixNano()),
		}
		if !insert {
			change = map[string]any{
				"range": map[string]any{"start": map[string]int{"line": line, "character": 0}, "end": map[string]int{"line": line + 1, "character": 0}},
				"text":  "",
			}
		}
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": v},
			"contentChanges": []any{change},
		})
		t := time.Now()
		ectx, ecancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := c.waitNote(ectx, func(n note) bool {
			if !isDiagFor(uri, v)(n) {
				return false
			}
			return reportsLine(n.params, line) == insert
		})
		ecancel()
		if err != nil {
			res.missedEdits++
			continue
		}
		if insert {
			res.reported = append(res.reported, n.at.Sub(t))
		} else {
			res.cleared = append(res.cleared, n.at.Sub(t))
		}
		// Let the rest of the work of this edit finish, as a user
		// pausing between edits would.
		time.Sleep(1500 * time.Millisecond)
		drain(c)
	}
}

// reportsLine reports whether a publishDiagnostics has a diagnostic that
// starts on line.
func reportsLine(params json.RawMessage, line int) bool {
	var p struct {
		Diagnostics []struct {
			Range struct {
				Start struct {
					Line int `json:"line"`
				} `json:"start"`
			} `json:"range"`
		} `json:"diagnostics"`
	}
	_ = json.Unmarshal(params, &p)
	for _, d := range p.Diagnostics {
		if d.Range.Start.Line == line {
			return true
		}
	}
	return false
}

func utf16(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func drain(c *lspClient) {
	for {
		select {
		case <-c.notes:
		default:
			return
		}
	}
}

// peakRSS reads VmHWM (peak resident set) of a process, in KiB.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return -1
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	idx := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, idx-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func report(w io.Writer, workspace, file string, line, pkgFiles int, floor time.Duration, rs []result) {
	fmt.Fprintf(w, "workspace: %s\nedited:    %s line %d (%d files in its package), %d edits\n", workspace, file, line+1, pkgFiles, len(rs[0].edits)+len(rs[0].reported)+len(rs[0].cleared)+rs[0].missedEdits)
	fmt.Fprintf(w, "floor:     go/types parse+check of the package: %s (median of 15)\n\n", ms(floor))
	if leakMode {
		reportLeak(w, rs)
		return
	}
	fmt.Fprintf(w, "%-16s %14s %14s %12s %12s %10s %8s\n", "server", "first diags", "workspace", "edit p50", "edit p95", "peak RSS", "missed")
	for _, r := range rs {
		fmt.Fprintf(w, "%-16s %14s %14s %12s %12s %7d MB %8d\n", r.name, ms(r.firstDiag), workspaceTime(r), ms(percentile(r.edits, 50)), ms(percentile(r.edits, 95)), r.peakRSSKB/1024, r.missedEdits)
	}
	ours := rs[0]
	fmt.Fprintf(w, "\nlifecycle-lsp edit p50 / floor: %.2fx\n", float64(percentile(ours.edits, 50))/float64(floor))
	if len(rs) > 1 {
		g := rs[1]
		fmt.Fprintf(w, "lifecycle-lsp / gopls: edit p50 %.2fx, edit p95 %.2fx, peak RSS %.2fx, first diagnostics %.2fx\n",
			ratio(percentile(ours.edits, 50), percentile(g.edits, 50)), ratio(percentile(ours.edits, 95), percentile(g.edits, 95)),
			float64(ours.peakRSSKB)/float64(g.peakRSSKB), ratio(ours.firstDiag, g.firstDiag))
		fmt.Fprintln(w, "gopls settings: defaults (no initializationOptions; workspace/configuration answered with {}),")
		fmt.Fprintln(w, "  so its per-edit publication is its first (type-check) pass; analyzers follow after diagnosticsDelay=1s.")
	}
}

// workspaceTime is the time to the end of the workspace analysis, "-"
// when the server does not report it.
func workspaceTime(r result) string {
	if r.complete > 0 {
		return ms(r.complete)
	}
	return "-"
}

// reportLeak prints the figures of the leak mode.
func reportLeak(w io.Writer, rs []result) {
	fmt.Fprintf(w, "%-30s %12s %12s %16s %16s %10s %7s\n", "server", "first diags", "workspace", "typed→reported", "removed→cleared", "peak RSS", "missed")
	for _, r := range rs {
		fmt.Fprintf(w, "%-30s %12s %12s %16s %16s %7d MB %7d\n", r.name, ms(r.firstDiag), workspaceTime(r), ms(percentile(r.reported, 50)), ms(percentile(r.cleared, 50)), r.peakRSSKB/1024, r.missedEdits)
	}
	if len(rs) > 1 {
		ours, g := rs[0], rs[1]
		fmt.Fprintf(w, "\nlifecycle-lsp / gopls: first diagnostics %.2fx, typed→reported p50 %.2fx, removed→cleared p50 %.2fx, peak RSS %.2fx\n",
			ratio(ours.firstDiag, g.firstDiag), ratio(percentile(ours.reported, 50), percentile(g.reported, 50)),
			ratio(percentile(ours.cleared, 50), percentile(g.cleared, 50)), float64(ours.peakRSSKB)/float64(g.peakRSSKB))
		fmt.Fprintln(w, "gopls settings: defaults; its finding is lostcancel's, published after diagnosticsDelay=1s.")
	}
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
