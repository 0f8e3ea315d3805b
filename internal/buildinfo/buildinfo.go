// Package buildinfo tells which build of lifecycle-lsp is running: the module
// version and the version-control revision the go command stamped into the
// binary (runtime/debug build info), for the version command, the language
// server's serverInfo and the SARIF tool description.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/semver"
)

// Info is what a binary knows about its own build.
type Info struct {
	// Version is the main module's version: a release tag ("v0.3.0"), a
	// pseudo-version stamped from the repository ("v0.0.0-20261201102813-
	// f3a5d75abcde", with "+dirty" for uncommitted changes), or "(devel)"
	// when the go command knew neither.
	Version string
	// Revision is the version-control revision, Time its commit time and
	// Modified whether the working tree had uncommitted changes; all empty
	// when the binary was not built inside a repository.
	Revision, Time string
	Modified       bool
}

// Read returns the running binary's build information; override, when not
// empty, is a version set at link time (-ldflags -X) and wins.
func Read(override string) Info {
	bi, _ := debug.ReadBuildInfo()
	return FromBuildInfo(bi, override)
}

// FromBuildInfo extracts Info from bi (nil when the binary has none).
func FromBuildInfo(bi *debug.BuildInfo, override string) Info {
	info := Info{Version: "(devel)"}
	if bi != nil {
		if v := bi.Main.Version; v != "" {
			info.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if override != "" {
		info.Version = override
	}
	return info
}

// String renders the version line: "v0.0.0-… (revision f3a5d75abcde,
// 2026-12-01T10:28:13Z, modified)".
func (i Info) String() string {
	var extra []string
	if i.Revision != "" {
		extra = append(extra, "revision "+i.Revision)
	}
	if i.Time != "" {
		extra = append(extra, i.Time)
	}
	if i.Modified {
		extra = append(extra, "modified")
	}
	if len(extra) == 0 {
		return i.Version
	}
	return fmt.Sprintf("%s (%s)", i.Version, strings.Join(extra, ", "))
}

// Semantic returns the version as Semantic Versioning 2.0 text without the
// leading "v" ("0.0.0-20261201102813-f3a5d75abcde+dirty"), as SARIF's
// semanticVersion wants. A build with no module version becomes
// "0.0.0-devel", with the revision as build metadata when known.
func (i Info) Semantic() string {
	v := strings.TrimPrefix(i.Version, "v")
	if isSemver(v) {
		return v
	}
	out := "0.0.0-devel"
	if rev := alnum(i.Revision); rev != "" {
		out += "+" + rev
	}
	return out
}

// isSemver reports whether v (without "v") is a full semantic version:
// MAJOR.MINOR.PATCH with optional pre-release and build metadata.
func isSemver(v string) bool {
	if !semver.IsValid("v" + v) {
		return false
	}
	core, _, _ := strings.Cut(strings.SplitN(v, "+", 2)[0], "-")
	return strings.Count(core, ".") == 2 // semver.IsValid also takes "v1" and "v1.2"
}

// alnum keeps the characters allowed in a semver identifier.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return -1
	}, s)
}
