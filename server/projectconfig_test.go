package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

const leakyFetch = `package fetch

import "net/http"

func Fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}
`

// TestProjectConfigFile: the server reads .lifecycle.yaml (severities,
// excluded paths), reloads it when it changes on disk, and reports a broken
// one without losing the diagnostics.
func TestProjectConfigFile(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod":          goMod,
		"fetch/fetch.go":  leakyFetch,
		"gen/gen.go":      strings.Replace(leakyFetch, "package fetch", "package gen", 1),
		".lifecycle.yaml": "severity:\n  leak: error\nexclude:\n  - gen\n",
	})
	c := newClientWith(t, dir, server.Options{})
	c.open("gen/gen.go")
	leakWith := func(sev protocol.DiagnosticSeverity) func(p protocol.PublishDiagnosticsParams) bool {
		return func(p protocol.PublishDiagnosticsParams) bool {
			for _, d := range p.Diagnostics {
				if d.Code == "leak" && d.Severity == sev {
					return true
				}
			}
			return false
		}
	}
	c.waitDiags("fetch/fetch.go", "a leak with severity error", leakWith(protocol.DiagnosticSeverityError))
	c.waitCount("gen/gen.go", 0)

	// The file changes on disk: the server takes the new one.
	cfg := filepath.Join(dir, ".lifecycle.yaml")
	if err := os.WriteFile(cfg, []byte("severity:\n  leak: hint\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []*protocol.FileEvent{{URI: uri.File(cfg), Type: protocol.FileChangeTypeChanged}}})
	c.waitDiags("fetch/fetch.go", "a leak with severity hint", leakWith(protocol.DiagnosticSeverityHint))
	c.waitCount("gen/gen.go", 1)

	// A broken file is reported with its line; the checks go on.
	if err := os.WriteFile(cfg, []byte("severity:\n  leak: loud\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []*protocol.FileEvent{{URI: uri.File(cfg), Type: protocol.FileChangeTypeChanged}}})
	c.waitShown(".lifecycle.yaml:2: severity of leak")
	c.waitDiags("fetch/fetch.go", "a leak with the default severity", leakWith(protocol.DiagnosticSeverityWarning))
	c.shutdown()
}
