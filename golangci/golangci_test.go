package golangci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
)

func names(t *testing.T, p register.LinterPlugin) map[string]bool {
	t.Helper()
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range as {
		out[a.Name] = true
	}
	return out
}

func TestPluginIsRegisteredAndReadsItsSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "lifecycle.yaml")
	if err := os.WriteFile(cfg, []byte("checks:\n  closeerr: false\n  perrequest: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"config": cfg, "checks": map[string]any{"perrequest": true}})
	if err != nil {
		t.Fatal(err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q", p.GetLoadMode())
	}
	got := names(t, p)
	if got["closeerr"] || !got["perrequest"] || !got["leak"] {
		t.Errorf("analyzers %v: closeerr off by the file, perrequest on by the plugin settings, leak on", got)
	}

	if _, err := newPlugin(map[string]any{"chekcs": map[string]any{}}); err == nil || !strings.Contains(err.Error(), "chekcs") {
		t.Errorf("an unknown setting: %v", err)
	}
	p, _ = newPlugin(map[string]any{"checks": map[string]any{"nosuch": true}})
	if _, err := p.BuildAnalyzers(); err == nil || !strings.Contains(err.Error(), `unknown check "nosuch"`) {
		t.Errorf("an unknown check: %v", err)
	}
	p, _ = newPlugin(map[string]any{"config": filepath.Join(dir, "missing.yaml")})
	if _, err := p.BuildAnalyzers(); err == nil {
		t.Error("a missing configuration file must be an error")
	}
}
