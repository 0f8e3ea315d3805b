package settings

import (
	"encoding/json"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/config"
)

func TestEditorSettingsOverrideTheProjectFile(t *testing.T) {
	proj, err := config.Parse("/repo/.lifecycle.yaml", []byte(`checks:
  closeerr: false
  perrequest: false
severity:
  leak: error
  loopdefer: error
extraResourceTypes: ["*example.com/a.Conn"]
releaseMethods:
  "*example.com/b.Lease": [Return]
exclude: [vendor]
overrides:
  - paths: [legacy]
    checks: {leak: false}
`))
	if err != nil {
		t.Fatal(err)
	}
	editor, err := Parse(json.RawMessage(`{"lifecycle": {"checks": {"closeerr": true}, "severity": {"leak": "hint"}, "extraResourceTypes": ["*example.com/c.Pipe"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	s := editor.WithProject(proj)
	if got := s.SeverityIn("leak", "/repo/a.go"); got != "hint" {
		t.Errorf("leak severity %q: the editor's hint must win", got)
	}
	if got := s.SeverityIn("loopdefer", "/repo/a.go"); got != "error" {
		t.Errorf("loopdefer severity %q: the project's error applies", got)
	}
	if s.Keeps("leak", "/repo/vendor/x.go") || s.Keeps("leak", "/repo/legacy/x.go") || !s.Keeps("leak", "/repo/a.go") {
		t.Error("Keeps: vendor is excluded, leak is off in legacy, on elsewhere")
	}
	if len(s.ExtraResourceTypes) != 2 || len(s.ReleaseMethods) != 1 {
		t.Errorf("resource types %v, release methods %v: want both files' types", s.ExtraResourceTypes, s.ReleaseMethods)
	}
	analyzers, key, err := s.Analyzers(catalogue.Build)
	if err != nil {
		t.Fatal(err)
	}
	on := map[string]bool{}
	for _, a := range analyzers {
		on[a.Name] = true
	}
	if !on["closeerr"] || on["perrequest"] || !on["leak"] {
		t.Errorf("analyzers %v: closeerr on by the editor, perrequest off by the project, leak on", on)
	}
	if key == "" {
		t.Error("empty analyzer key")
	}
	// Without a project file nothing changes.
	if got := editor.WithProject(nil); got.Project() != nil || !got.Keeps("leak", "/repo/vendor/x.go") {
		t.Error("WithProject(nil) must leave the settings as they are")
	}
}
