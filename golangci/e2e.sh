#!/usr/bin/env bash
# End-to-end test of the golangci-lint module plugin: builds a golangci-lint
# that holds the "lifecycle" plugin from golangci-lint's source as the Go
# module proxy serves it (the "manual way" of golangci-lint's module plugin
# system: a blank import in cmd/golangci-lint/plugins.go; `golangci-lint
# custom` does the same after cloning golangci-lint's repository with git),
# runs it on a copy of examples/ and expects exactly the findings of
# `lifecycle-lsp check` there.
#
# Usage: golangci/e2e.sh            (from anywhere in the repository)
# Needs go and the module proxy; fails loudly otherwise. Never skips.
set -euo pipefail

version=v2.15.0   # golangci-lint; its golang.org/x/tools matches go.mod's
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOWORK=off GOFLAGS=

fail() { echo "golangci e2e: FAIL: $*" >&2; exit 1; }
say() { echo "golangci e2e: $*" >&2; }

say "fetching golangci-lint $version from the module proxy"
src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$src" ] && [ -d "$src" ] || fail "go mod download gave no source directory for golangci-lint $version"
cp -r "$src" "$work/gcl"
chmod -R u+w "$work/gcl"

say "adding the plugin and building the custom binary"
cat > "$work/gcl/cmd/golangci-lint/plugins.go" <<'GO'
package main

// Module plugins compiled into this golangci-lint.
import _ "github.com/lifecycle-lsp/lifecycle-lsp/golangci"
GO
(
  cd "$work/gcl"
  go mod edit -replace "github.com/lifecycle-lsp/lifecycle-lsp=$repo" \
    -require "github.com/lifecycle-lsp/lifecycle-lsp@v0.0.0-00010101000000-000000000000"
  go mod tidy
  go build -o "$work/custom-gcl" ./cmd/golangci-lint
) >&2 || fail "building golangci-lint with the plugin failed"
(cd "$repo" && go build -o "$work/lifecycle-lsp" ./cmd/lifecycle-lsp) || fail "building lifecycle-lsp failed"

cp -r "$repo/examples" "$work/examples"
cat > "$work/examples/.golangci.yml" <<'YAML'
version: "2"
linters:
  default: none
  enable:
    - lifecycle
  settings:
    custom:
      lifecycle:
        type: module
        description: resource-lifecycle bugs (lifecycle-lsp)
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
output:
  formats:
    text:
      path: stdout
      print-linter-name: true
      print-issued-lines: false
YAML

cd "$work/examples"
say "running golangci-lint with the plugin on examples/"
set +e
"$work/custom-gcl" run ./... > "$work/gcl.out" 2> "$work/gcl.err"
gcl_code=$?
"$work/lifecycle-lsp" check ./... > "$work/check.out" 2> "$work/check.err"
check_code=$?
set -e
[ "$gcl_code" -eq 1 ] || { cat "$work/gcl.out" "$work/gcl.err" >&2; fail "golangci-lint exited $gcl_code, want 1 (issues found)"; }
[ "$check_code" -eq 1 ] || { cat "$work/check.err" >&2; fail "lifecycle-lsp check exited $check_code, want 1"; }

# golangci-lint prints "file:line:col: check: message (lifecycle)", and a
# finding's related locations as issues of their own ("check(related
# information): ..."); compare the findings as check prints them,
# "file:line:col: message (check)", sorted.
grep -v '(related information)' "$work/gcl.out" \
  | sed -n 's/^\([^ ]*:\) \([a-z]*\): \(.*\) (lifecycle)$/\1 \3 (\2)/p' | sort > "$work/gcl.found"
sort "$work/check.out" > "$work/check.found"
n=$(wc -l < "$work/check.found")
[ "$n" -gt 0 ] || fail "lifecycle-lsp check found nothing in examples/"
if ! diff -u "$work/check.found" "$work/gcl.found" >&2; then
  fail "golangci-lint's findings (+) differ from lifecycle-lsp check's (-)"
fi
say "PASS: golangci-lint with the lifecycle plugin reports the same $n findings as lifecycle-lsp check"
