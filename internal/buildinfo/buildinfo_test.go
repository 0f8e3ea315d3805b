package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/lifecycle-lsp/lifecycle-lsp", Version: "v0.0.0-20261201102813-f3a5d75abcde+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "f3a5d75abcdef0123456789"},
			{Key: "vcs.time", Value: "2026-12-01T10:28:13Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := FromBuildInfo(bi, "")
	want := "v0.0.0-20261201102813-f3a5d75abcde+dirty (revision f3a5d75abcdef0123456789, 2026-12-01T10:28:13Z, modified)"
	if got.String() != want {
		t.Errorf("String() = %q, want %q", got.String(), want)
	}
	if s := got.Semantic(); s != "0.0.0-20261201102813-f3a5d75abcde+dirty" {
		t.Errorf("Semantic() = %q", s)
	}
	if v := FromBuildInfo(bi, "v1.2.3").Version; v != "v1.2.3" {
		t.Errorf("a link-time version must win, got %q", v)
	}
}

func TestDevelBuild(t *testing.T) {
	info := FromBuildInfo(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "")
	if info.String() != "(devel)" {
		t.Errorf("String() = %q", info.String())
	}
	if s := info.Semantic(); s != "0.0.0-devel" {
		t.Errorf("Semantic() = %q", s)
	}
	info.Revision = "abc123"
	if s := info.Semantic(); s != "0.0.0-devel+abc123" {
		t.Errorf("Semantic() with revision = %q", s)
	}
	if s := FromBuildInfo(nil, "").Semantic(); s != "0.0.0-devel" {
		t.Errorf("no build info: Semantic() = %q", s)
	}
}

func TestSemanticKeepsReleasesAndRejectsShorthand(t *testing.T) {
	for v, want := range map[string]string{
		"v1.4.0":        "1.4.0",
		"v2.0.0-rc.1":   "2.0.0-rc.1",
		"v1.2":          "0.0.0-devel",
		"devel":         "0.0.0-devel",
		"v1.2.3+build5": "1.2.3+build5",
	} {
		if got := (Info{Version: v}).Semantic(); got != want {
			t.Errorf("Semantic(%q) = %q, want %q", v, got, want)
		}
	}
}
