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

# The cgo tests (fixes in cgo files, the server's analysis of functions
# that use C) run cmd/cgo, which needs a C compiler.
step "C compiler for the cgo tests"
cc=$(go env CC)
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "$cc not found; installing Debian's gcc package"
  if [ "$(id -u)" -ne 0 ]; then echo "the C compiler $cc is missing and installing it needs root (apt-get install -y gcc)"; exit 1; fi
  (apt-get update && apt-get install -y gcc) || { echo "could not install gcc with apt-get"; exit 1; }
  command -v "$cc" >/dev/null 2>&1 || { echo "$cc still not found after installing gcc"; exit 1; }
fi
[ "$(CGO_ENABLED=1 go env CGO_ENABLED)" = 1 ] || { echo "cgo cannot be enabled"; exit 1; }
echo "$cc: $(command -v "$cc")"

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '/testdata/') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "not gofmt-clean:"; echo "$unformatted"; exit 1; fi

step "go vet ./..."
go vet ./...

step "go mod tidy -diff"
go mod tidy -diff

step "go test ./..."
go test -count=1 ./...

# The fuzz targets' seed corpora (testdata/fuzz and the f.Add seeds) run
# with plain go test; listing them here makes a vanished target fail.
step "fuzz seeds"
fuzz_out=$(go test -count=1 -v -run '^(FuzzFraming|FuzzIncrementalSync|FuzzAnalyzers)$' ./server ./server/driver)
for target in FuzzFraming FuzzIncrementalSync FuzzAnalyzers; do
  if ! grep -q -- "--- PASS: $target " <<<"$fuzz_out"; then
    echo "$fuzz_out" | tail -40
    echo "fuzz target $target did not run and pass"
    exit 1
  fi
done

step "race detector: server and drivers"
go test -count=1 -race ./server/... ./cmd/lifecycle-lsp/...

# The project's own checks on its own code, with a fresh build of the
# vettool; a finding is fixed or carries a //lifecycle:ignore with reason.
step "self-check: go vet -vettool"
selfcheck=$(mktemp -d)
trap 'rm -rf "$selfcheck"' EXIT
go build -o "$selfcheck/lifecycle-lsp" ./cmd/lifecycle-lsp
go vet -vettool="$selfcheck/lifecycle-lsp" ./...

for e2e in $(cat "$root/scripts/e2e.list"); do
  step "end-to-end: $e2e"
  t0=$(date +%s)
  bash "$root/$e2e"
  echo "($e2e took $(( $(date +%s) - t0 )) s)"
done

step "all tests passed in $(( $(date +%s) - start )) s"
