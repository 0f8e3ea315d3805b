package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/loaderr"
)

// IssueKind classifies a problem with a workspace folder.
type IssueKind string

// Kinds of folder issues.
const (
	IssueNoGo      IssueKind = "no-go-binary"
	IssueNotModule IssueKind = "not-a-module"
	IssueGoMod     IssueKind = "broken-go-mod"
	IssueLoad      IssueKind = "load-failed"
)

// Issue is a problem that prevents (part of) a folder from being loaded.
type Issue struct {
	Folder  string
	Kind    IssueKind
	Message string
}

// Meta is the metadata of one package: what go list says about it.
type Meta struct {
	ID        string
	PkgPath   string
	Name      string
	GoFiles   []string
	Other     []string
	Imports   map[string]string // import path as written → package ID
	Workspace bool
	ForTest   string
	Module    *analysis.Module
	GoVersion string
	Errors    []string
}

// Metadata is the package graph of the workspace.
type Metadata struct {
	Packages map[string]*Meta
	// Workspace lists the IDs of workspace packages, sorted.
	Workspace []string
	// Owner maps each workspace file to the package whose analysis
	// reports its diagnostics (the non-test variant when there is one).
	Owner map[string]string
	// headers records the File.Header of every workspace file as seen by
	// the load, to detect edits that change the package graph.
	headers map[string]string
	// overlays lists the overlay paths the load saw.
	overlays map[string]bool
	Issues   []Issue
}

// loadOptions are the build settings of a load.
type loadOptions struct {
	BuildFlags []string
	Env        []string
	Tests      bool
}

// loadMetadata runs go list (through go/packages) in every folder.
func loadMetadata(ctx context.Context, folders []string, overlays map[string]*File, disk *diskFiles, opts loadOptions) *Metadata {
	md := &Metadata{
		Packages: map[string]*Meta{},
		Owner:    map[string]string{},
		headers:  map[string]string{},
		overlays: map[string]bool{},
	}
	overlay := map[string][]byte{}
	for p, f := range overlays {
		if strings.HasSuffix(p, ".go") {
			overlay[p] = f.Content
			md.overlays[p] = true
		}
	}
	if _, err := exec.LookPath("go"); err != nil {
		for _, folder := range folders {
			md.Issues = append(md.Issues, Issue{Folder: folder, Kind: IssueNoGo,
				Message: "lifecycle-lsp: the go command was not found in PATH; no packages can be loaded"})
		}
		return md
	}
	workspace := map[string]bool{}
	for _, folder := range folders {
		dirs, issue := moduleDirs(folder)
		if issue != nil {
			md.Issues = append(md.Issues, *issue)
			continue
		}
		for _, dir := range dirs {
			pkgs, err := loadDir(ctx, dir, overlay, opts)
			if err != nil {
				kind := IssueLoad
				if strings.Contains(err.Error(), "go.mod") || strings.Contains(err.Error(), "go.work") {
					kind = IssueGoMod
				}
				md.Issues = append(md.Issues, Issue{Folder: folder, Kind: kind, Message: fmt.Sprintf("lifecycle-lsp: cannot load packages in %s: %s", dir, loaderr.Clean(err.Error()))})
				continue
			}
			packages.Visit(pkgs, nil, func(p *packages.Package) {
				if _, ok := md.Packages[p.ID]; !ok {
					md.Packages[p.ID] = toMeta(p)
				}
			})
			for _, p := range pkgs {
				if isTestMain(p) {
					continue
				}
				workspace[p.ID] = true
			}
		}
	}
	for id := range workspace {
		m := md.Packages[id]
		m.Workspace = true
		md.Workspace = append(md.Workspace, id)
	}
	sort.Strings(md.Workspace)
	// Owners: prefer the plain package, then the test variant.
	for _, pass := range []bool{false, true} {
		for _, id := range md.Workspace {
			m := md.Packages[id]
			if (m.ForTest != "") != pass {
				continue
			}
			for _, f := range m.GoFiles {
				if _, ok := md.Owner[f]; !ok {
					md.Owner[f] = id
				}
			}
		}
	}
	for f := range md.Owner {
		md.headers[f] = fileFor(f, overlays, disk).Header()
	}
	return md
}

func fileFor(path string, overlays map[string]*File, disk *diskFiles) *File {
	if f, ok := overlays[path]; ok {
		return f
	}
	return disk.read(path)
}

// isTestMain reports whether p is a generated test main package.
func isTestMain(p *packages.Package) bool {
	return p.Name == "main" && strings.HasSuffix(p.ID, ".test") && p.ForTest == "" && strings.HasSuffix(p.PkgPath, ".test")
}

func toMeta(p *packages.Package) *Meta {
	m := &Meta{
		ID:      p.ID,
		PkgPath: p.PkgPath,
		Name:    p.Name,
		GoFiles: p.GoFiles,
		Other:   p.OtherFiles,
		Imports: map[string]string{},
		ForTest: p.ForTest,
	}
	for path, imp := range p.Imports {
		m.Imports[path] = imp.ID
	}
	if p.Module != nil {
		m.Module = &analysis.Module{Path: p.Module.Path, Version: p.Module.Version, Main: p.Module.Main, Dir: p.Module.Dir, GoMod: p.Module.GoMod}
		m.GoVersion = p.Module.GoVersion
	}
	m.Errors = loaderr.Select(p.Errors)
	return m
}

// moduleDirs returns the directories to run go list in for a folder: the
// folder itself when it is inside a module or workspace, otherwise the
// modules nested beneath it.
func moduleDirs(folder string) ([]string, *Issue) {
	for dir := folder; ; {
		for _, name := range []string{"go.work", "go.mod"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return []string{folder}, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	var dirs []string
	_ = filepath.WalkDir(folder, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			name := d.Name()
			if path != folder && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			if strings.Count(strings.TrimPrefix(path, folder), string(filepath.Separator)) > 4 {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == "go.mod" {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	if len(dirs) == 0 {
		return nil, &Issue{Folder: folder, Kind: IssueNotModule,
			Message: fmt.Sprintf("lifecycle-lsp: %s is not inside a Go module (no go.mod or go.work found); open a module folder to get diagnostics", folder)}
	}
	return dirs, nil
}

// goListSettings returns the environment and build flags of go list runs
// in dir: the user's, with the module mode made explicit (vendor when the
// module vendors, otherwise readonly) and the local toolchain.
func goListSettings(dir string, opts loadOptions) (env, flags []string) {
	flags = opts.BuildFlags
	if !hasModFlag(flags) && !hasModFlag(strings.Fields(os.Getenv("GOFLAGS"))) {
		if _, err := os.Stat(filepath.Join(dir, "vendor", "modules.txt")); err == nil {
			flags = append(flags[:len(flags):len(flags)], "-mod=vendor")
		} else {
			flags = append(flags[:len(flags):len(flags)], "-mod=readonly")
		}
	}
	env = append(os.Environ(), "GOTOOLCHAIN=local")
	env = append(env, opts.Env...)
	return env, flags
}

func loadDir(ctx context.Context, dir string, overlay map[string][]byte, opts loadOptions) ([]*packages.Package, error) {
	env, flags := goListSettings(dir, opts)
	cfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:        dir,
		Env:        env,
		BuildFlags: flags,
		Tests:      opts.Tests,
		Overlay:    overlay,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, errors.New("no packages found")
	}
	return pkgs, nil
}

func hasModFlag(flags []string) bool {
	for _, f := range flags {
		if strings.HasPrefix(f, "-mod=") || strings.HasPrefix(f, "--mod=") {
			return true
		}
	}
	return false
}
