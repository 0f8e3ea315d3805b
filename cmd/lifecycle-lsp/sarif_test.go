package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/gittest"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/sariftest"
)

// TestCheckSARIFForCodeScanning: a module in a subfolder of a repository.
// The log follows the SARIF 2.1.0 schema and has what GitHub code scanning
// wants: paths relative to the repository root with a uriBaseId, rules
// with help, a semantic version, fingerprints from the baseline key, fixes.
func TestCheckSARIFForCodeScanning(t *testing.T) {
	repo := t.TempDir()
	mod := filepath.Join(repo, "services", "api")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/api\n\ngo 1.26\n")
	writeFile(t, filepath.Join(mod, "a.go"), leaky)
	gittest.Run(t, repo, "init", "-q")

	r := runTool(t, mod, nil, "check", "-format", "sarif", "./...")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	if err := sariftest.Validate("report/testdata/sarif-2.1.0.json", []byte(r.stdout)); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version, SemanticVersion string
					Rules                    []struct {
						ID      string
						HelpURI string
						Help    struct{ Text, Markdown string }
					}
				}
			}
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
					}
				}
				PartialFingerprints map[string]string
				Fixes               []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Tool.Driver.SemanticVersion == "" || strings.Contains(run.Tool.Driver.SemanticVersion, "(") {
		t.Errorf("semanticVersion %q", run.Tool.Driver.SemanticVersion)
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.Help.Text == "" || rule.Help.Markdown == "" || !strings.HasSuffix(rule.HelpURI, "#"+rule.ID) {
			t.Errorf("rule %s: help or helpUri missing: %+v", rule.ID, rule)
		}
	}
	root, _ := filepath.EvalSymlinks(repo)
	if base := run.OriginalURIBaseIDs["SRCROOT"].URI; base != "file://"+filepath.ToSlash(root)+"/" {
		t.Errorf("SRCROOT is %q, want the repository root %s", base, root)
	}
	if len(run.Results) != 1 {
		t.Fatalf("%d results, want 1", len(run.Results))
	}
	res := run.Results[0]
	loc := res.Locations[0].PhysicalLocation.ArtifactLocation
	if loc.URI != "services/api/a.go" || loc.URIBaseID != "SRCROOT" {
		t.Errorf("location %+v, want services/api/a.go relative to SRCROOT", loc)
	}
	if res.PartialFingerprints["lifecycleKey/v1"] == "" || len(res.Fixes) != 1 {
		t.Errorf("result lacks its fingerprint or fix: %+v", res)
	}

	// The fingerprint is the key a baseline records.
	var js []struct{ Key string }
	r = runTool(t, mod, nil, "check", "-format", "json", "./...")
	if err := json.Unmarshal([]byte(r.stdout), &js); err != nil || len(js) != 1 || js[0].Key != res.PartialFingerprints["lifecycleKey/v1"] {
		t.Errorf("JSON key %+v differs from the SARIF fingerprint %q (%v)", js, res.PartialFingerprints["lifecycleKey/v1"], err)
	}
}
