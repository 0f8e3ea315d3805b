package report

import (
	"encoding/json"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// SARIF 2.1.0, the subset GitHub code scanning reads.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	FullDescription  sarifMessage `json:"fullDescription"`
	HelpURI          string       `json:"helpUri,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	ID               int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// SARIF prints findings as a SARIF 2.1.0 log.
func SARIF(w io.Writer, findings []Finding, analyzers []*analysis.Analyzer, version string) error {
	driver := sarifDriver{Name: "lifecycle-lsp", Version: version,
		InformationURI: "https://github.com/lifecycle-lsp/lifecycle-lsp"}
	for _, a := range analyzers {
		title, _, _ := strings.Cut(a.Doc, "\n")
		driver.Rules = append(driver.Rules, sarifRule{ID: a.Name,
			ShortDescription: sarifMessage{title}, FullDescription: sarifMessage{a.Doc}, HelpURI: a.URL})
	}
	results := []sarifResult{}
	for _, f := range findings {
		r := sarifResult{RuleID: f.Check, Level: "warning", Message: sarifMessage{f.Message},
			Locations: []sarifLocation{{PhysicalLocation: physical(f.File, f.Line, f.Column, f.EndLine, f.EndCol)}}}
		for i, rel := range f.Related {
			msg := sarifMessage{rel.Message}
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{ID: i + 1,
				PhysicalLocation: physical(rel.File, rel.Line, rel.Column, 0, 0), Message: &msg})
		}
		results = append(results, r)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func physical(file string, line, col, endLine, endCol int) sarifPhysicalLocation {
	return sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: strings.TrimPrefix(rel(file), "./")},
		Region: sarifRegion{StartLine: line, StartColumn: col, EndLine: endLine, EndColumn: endCol}}
}
