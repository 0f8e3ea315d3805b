// Package golangci registers lifecycle-lsp's checks as a golangci-lint
// module plugin named "lifecycle". Import it from .custom-gcl.yml to build a
// golangci-lint binary that holds the checks; they read the project
// configuration file (.lifecycle.yaml) as check and go vet -vettool do, and
// the plugin's settings in .golangci.yml can name another file or turn
// checks on and off on top of it.
package golangci

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/config"
)

// Name is the plugin's name in .golangci.yml (linters.settings.custom).
const Name = "lifecycle"

func init() { register.Plugin(Name, New) }

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Config is the project configuration file to read; empty means the
	// .lifecycle.yaml found from golangci-lint's working directory (up to
	// the repository root), if any.
	Config string `json:"config"`
	// Checks turns checks on (true) or off (false) by name, over the
	// configuration file.
	Checks map[string]bool `json:"checks"`
}

// New builds the plugin from its settings.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("lifecycle plugin settings: %w", err)
	}
	return &plugin{settings: s}, nil
}

type plugin struct{ settings Settings }

// BuildAnalyzers returns the analyzers the configuration asks for.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var (
		cfg *config.File
		err error
	)
	if p.settings.Config != "" {
		cfg, err = config.Load(p.settings.Config)
	} else {
		cfg, err = config.ForDir(".")
	}
	if err != nil {
		return nil, err
	}
	if len(p.settings.Checks) > 0 {
		merged := *cfg
		merged.Checks = map[string]bool{}
		for k, v := range cfg.Checks {
			merged.Checks[k] = v
		}
		for k, v := range p.settings.Checks {
			merged.Checks[k] = v
		}
		if err := merged.Validate(); err != nil {
			return nil, fmt.Errorf("lifecycle plugin settings: %w", err)
		}
		cfg = &merged
	}
	return cfg.Analyzers()
}

// GetLoadMode asks for type information: the checks need types and SSA.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
