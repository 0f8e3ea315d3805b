#!/usr/bin/env bash
# The precision corpus: fetches the pinned real-world modules of
# bench/corpus/modules.txt through the Go module proxy, runs
# `lifecycle-lsp check -format json ./...` in each, and scores the findings
# against the labels in bench/corpus/labels/MODULE.tsv (see bench/corpus/README.md).
#
# Usage: bash bench/corpus/run.sh [-only NAME[,NAME...]] [-checks LIST] [-score-only] [-todo FILE] [-bin PATH] [-list VERDICT]
#   -only        run these modules only (short names: caddy, nats-server, ...)
#   -checks LIST run these checks (passed to `lifecycle-lsp check -checks`; default: the default checks)
#   -score-only  do not run the checker; score the last results
#   -todo FILE   write every finding that still needs a label to FILE (TSV)
#   -bin PATH    use this lifecycle-lsp binary instead of building one
#   -list VERDICT  also list the reported findings labelled TRUE, DEFENSIBLE or FP
# Scratch space: $CORPUS_DIR (default: $(go env GOCACHE)/../lifecycle-lsp-corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
only=""
scoreonly=0
todo=""
bin=""
list=""
checks=()
while [ $# -gt 0 ]; do
  case "$1" in
    -only) only=",$2,"; shift 2 ;;
    -checks) checks=(-checks "$2"); shift 2 ;;
    -score-only) scoreonly=1; shift ;;
    -todo) todo=$2; shift 2 ;;
    -bin) bin=$2; shift 2 ;;
    -list) list=$2; shift 2 ;;
    *) echo "corpus: unknown argument $1" >&2; exit 2 ;;
  esac
done
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
corpus=${CORPUS_DIR:-$HOME/.cache/lifecycle-lsp-corpus}
mkdir -p "$corpus/results"

# short MODULE: the name a module goes by in the corpus (its last path
# element that is not a major version).
short() {
  local m=${1%@*}
  m=${m%/v[0-9]*}
  m=${m##*/}
  echo "$m"
}

if [ $scoreonly = 0 ]; then
  if [ -n "$bin" ]; then
    cp "$bin" "$corpus/lifecycle-lsp"
  else
    echo "corpus: building lifecycle-lsp" >&2
    (cd "$root" && go build -o "$corpus/lifecycle-lsp" ./cmd/lifecycle-lsp)
  fi
  grep -v '^#' "$root/bench/corpus/modules.txt" | while read -r modver licence rest; do
    [ -z "$modver" ] && continue
    name=$(short "$modver")
    if [ -n "$only" ] && [[ "$only" != *",$name,"* ]]; then continue; fi
    dir="$corpus/$name"
    if [ ! -f "$dir/.corpus-version" ] || [ "$(cat "$dir/.corpus-version")" != "$modver" ]; then
      echo "corpus: fetching $modver ($licence)" >&2
      src=$(go mod download -json "$modver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
      if [ -z "$src" ] || [ ! -d "$src" ]; then
        echo "corpus: go mod download $modver failed" >&2; exit 2
      fi
      rm -rf "$dir"
      cp -r "$src" "$dir"
      chmod -R u+w "$dir"
      (cd "$dir" && go mod download) >&2
      echo "$modver" >"$dir/.corpus-version"
    fi
    echo "corpus: checking $name" >&2
    t0=$(date +%s)
    status=0
    (cd "$dir" && "$corpus/lifecycle-lsp" check ${checks[@]+"${checks[@]}"} -format json ./... >"$corpus/results/$name.json" 2>"$corpus/results/$name.stderr") || status=$?
    if [ $status -gt 1 ]; then
      echo "corpus: $name: some packages could not be loaded or analysed (exit $status); see $corpus/results/$name.stderr" >&2
    fi
    echo "corpus: $name took $(( $(date +%s) - t0 )) s" >&2
  done
fi

args=(-modules "$root/bench/corpus/modules.txt" -labels "$root/bench/corpus/labels" -results "$corpus/results" -src "$corpus")
[ -n "$todo" ] && args+=(-todo "$todo")
[ -n "$list" ] && args+=(-list "$list")
(cd "$root" && go run ./bench/corpus/score "${args[@]}")
