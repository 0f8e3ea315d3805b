#!/usr/bin/env bash
# The whole test suite of lifecycle-lsp: Go vet and tests (analyzers, fixes,
# the check command on examples/, the language server), then the editor
# end-to-end tests with real editors (VS Code via code-server, Neovim, Emacs).
# Whatever a test needs and a fresh machine lacks (Debian packages, npm
# modules) is installed by that test's own script; a missing tool fails the
# run loudly, nothing is skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOFLAGS=${GOFLAGS:-}
export GOWORK=off

step() { printf '\n=== %s\n' "$*"; }
start=$(date +%s)

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '/testdata/') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "not gofmt-clean:"; echo "$unformatted"; exit 1; fi

step "go vet ./..."
go vet ./...

step "go test ./..."
go test -count=1 ./...

for e2e in $(cat "$root/scripts/e2e.list"); do
  step "end-to-end: $e2e"
  t0=$(date +%s)
  bash "$root/$e2e"
  echo "($e2e took $(( $(date +%s) - t0 )) s)"
done

step "all tests passed in $(( $(date +%s) - start )) s"
