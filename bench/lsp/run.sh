#!/usr/bin/env bash
# Benchmarks lifecycle-lsp against gopls v0.23.0 and the go/types floor.
# Usage: bench/lsp/run.sh [flags of bench/lsp, e.g. -edits 50 -skip-gopls]
# Default workspace: a copy of golang.org/x/tools (from the module cache),
# editing go/ssa/builder.go. Needs network access to the module proxy the
# first time (gopls and x/tools' dependencies).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec go run ./bench/lsp "$@"
