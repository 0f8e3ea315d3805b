package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// SARIF 2.1.0, with what GitHub code scanning reads: rules with help text
// and markdown, a semantic tool version, locations relative to the
// repository root (uriBaseId SRCROOT), partial fingerprints and fixes.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                   `json:"columnKind"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string               `json:"id"`
	Name                 string               `json:"name"`
	ShortDescription     sarifMessage         `json:"shortDescription"`
	FullDescription      sarifMessage         `json:"fullDescription"`
	Help                 sarifMultiformat     `json:"help"`
	HelpURI              string               `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig      `json:"defaultConfiguration"`
	Properties           *sarifRuleProperties `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Tags []string `json:"tags,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
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
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
	ByteOffset  int `json:"byteOffset,omitempty"`
	// ByteLength is always written: 0 is an insertion.
	ByteLength *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
}

// SRCROOT is the uriBaseId of every location: the repository root.
const SRCROOT = "SRCROOT"

// FingerprintKey names the partial fingerprint that carries a finding's
// baseline key.
const FingerprintKey = "lifecycleKey/v1"

// SARIFOptions describe the run.
type SARIFOptions struct {
	// Version is the tool's version as printed ("v0.0.0-…"), Semantic the
	// same as Semantic Versioning 2.0 text.
	Version, Semantic string
	// Root is the repository root: locations are relative to it.
	Root string
	// Level returns the SARIF level ("error", "warning", "note") of a
	// check's findings where no per-finding Severity says otherwise (the
	// rule's default level); nil means "warning" for every check.
	Level func(check string) string
}

// SARIF prints findings (with keys assigned, see AssignKeys) as a SARIF 2.1.0
// log.
func SARIF(w io.Writer, findings []Finding, analyzers []*analysis.Analyzer, opts SARIFOptions) error {
	level := opts.Level
	if level == nil {
		level = func(string) string { return "warning" }
	}
	driver := sarifDriver{Name: "lifecycle-lsp", Version: opts.Version, SemanticVersion: opts.Semantic,
		InformationURI: "https://github.com/lifecycle-lsp/lifecycle-lsp", Rules: []sarifRule{}}
	index := map[string]int{}
	for _, a := range analyzers {
		title, _, _ := strings.Cut(a.Doc, "\n")
		short := strings.TrimPrefix(title, a.Name+": ")
		index[a.Name] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{ID: a.Name, Name: a.Name,
			ShortDescription:     sarifMessage{short},
			FullDescription:      sarifMessage{firstParagraph(a.Doc)},
			Help:                 sarifMultiformat{Text: a.Doc, Markdown: catalogue.CheckMarkdown(catalogue.Check{Analyzer: a})},
			HelpURI:              a.URL,
			DefaultConfiguration: sarifRuleConfig{Level: level(a.Name)},
			Properties:           &sarifRuleProperties{Tags: []string{"reliability", "resource-lifecycle"}},
		})
	}
	src := newSources(nil)
	results := []sarifResult{}
	for _, f := range findings {
		i, ok := index[f.Check]
		if !ok {
			i = -1
		}
		lvl := level(f.Check)
		if f.Severity != "" {
			lvl = Level(f.Severity)
		}
		r := sarifResult{RuleID: f.Check, RuleIndex: i, Level: lvl, Message: sarifMessage{f.Message},
			Locations: []sarifLocation{{PhysicalLocation: physical(src, opts.Root, f.File, f.Line, f.Column, f.EndLine, f.EndCol)}}}
		for i, rel := range f.Related {
			msg := sarifMessage{rel.Message}
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{ID: i + 1,
				PhysicalLocation: physical(src, opts.Root, rel.File, rel.Line, rel.Column, 0, 0), Message: &msg})
		}
		if f.Key != "" {
			r.PartialFingerprints = map[string]string{FingerprintKey: f.Key}
		}
		for _, fix := range f.Fixes {
			r.Fixes = append(r.Fixes, sarifFixOf(opts.Root, fix))
		}
		results = append(results, r)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "utf16CodeUnits", Results: results}
	if opts.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{SRCROOT: {URI: dirURI(opts.Root)}}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// Level is the SARIF level of a severity: error, warning, or note for
// information and hint.
func Level(severity string) string {
	switch severity {
	case "error", "warning":
		return severity
	case "information", "hint":
		return "note"
	}
	return "warning"
}

// firstParagraph is the text of a check's doc after its title line, up to
// the first blank line.
func firstParagraph(doc string) string {
	_, body, _ := strings.Cut(doc, "\n")
	body = strings.TrimSpace(body)
	para, _, _ := strings.Cut(body, "\n\n")
	if para == "" {
		return doc
	}
	return strings.Join(strings.Fields(para), " ")
}

// sarifFixOf turns a fix's byte-offset edits into SARIF replacements.
func sarifFixOf(root string, fix Fix) sarifFix {
	out := sarifFix{Description: sarifMessage{fix.Message}}
	byFile := map[string]int{}
	for _, e := range fix.Edits {
		i, ok := byFile[e.File]
		if !ok {
			i = len(out.ArtifactChanges)
			byFile[e.File] = i
			out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifact(root, e.File)})
		}
		length := e.End - e.Start
		rep := sarifReplacement{DeletedRegion: sarifRegion{ByteOffset: e.Start, ByteLength: &length}}
		if e.New != "" {
			rep.InsertedContent = &sarifMessage{e.New}
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, rep)
	}
	return out
}

// artifact names a file relative to the repository root.
func artifact(root, file string) sarifArtifact {
	if root == "" {
		return sarifArtifact{URI: uriPath(strings.TrimPrefix(rel(file), "./"))}
	}
	return sarifArtifact{URI: uriPath(RootRelative(root, file)), URIBaseID: SRCROOT}
}

func physical(src *sources, root, file string, line, col, endLine, endCol int) sarifPhysicalLocation {
	data := src.read(file)
	return sarifPhysicalLocation{ArtifactLocation: artifact(root, file),
		Region: sarifRegion{StartLine: line, StartColumn: utf16Column(data, line, col),
			EndLine: endLine, EndColumn: utf16Column(data, endLine, endCol)}}
}

// utf16Column converts a 1-based byte column (go/token's) into a 1-based
// column in UTF-16 code units (SARIF's default columnKind). Without the
// file's text the byte column is kept.
func utf16Column(data []byte, line, col int) int {
	if data == nil || line < 1 || col < 1 {
		return col
	}
	off, ok := offsetOf(data, line, col)
	if !ok {
		return col
	}
	start := off - (col - 1)
	units := 0
	for b := data[start:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // an invalid byte reads as one replacement character
		}
		units += n
		b = b[size:]
	}
	return units + 1
}

// uriPath escapes a slash-separated relative path for a URI reference.
func uriPath(p string) string {
	u := url.URL{Path: filepath.ToSlash(p)}
	return u.EscapedPath()
}

// dirURI is the file: URI of a directory, with the trailing slash SARIF
// requires of a base.
func dirURI(dir string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // a Windows drive path
	}
	s := u.String()
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}
