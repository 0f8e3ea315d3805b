#!/usr/bin/env bash
# The fixes on the precision corpus: for each module of bench/corpus/modules.txt,
# copies its sources (fetched by run.sh) to a scratch directory, records the
# findings of `lifecycle-lsp check -format json ./...`, builds and vets the
# untouched copy, runs `lifecycle-lsp check -fix ./...`, records the findings
# that remain, builds and vets the fixed copy and runs gofmt -l on the files
# the fixes changed (and on their untouched versions). bench/corpus/fixcheck then prints, per module and check,
# the findings, those with a fix and those the fixes removed, and every
# build or vet error the fixes introduced (see bench/corpus/README.md).
#
# Usage: bash bench/corpus/fixcheck.sh [-only NAME[,NAME...]] [-bin PATH] [-report-only]
#   -only         these modules only (short names: caddy, pgx, ...), in the given order
#   -bin PATH     use this lifecycle-lsp binary instead of building one from
#                 the committed tree (git archive HEAD)
#   -report-only  do not run anything; print the report of the last run
# The modules' sources must have been fetched by run.sh; they are never modified.
# Every checker run and every build takes the lock /tmp/corpus.lock (flock), so
# only one heavy job of the corpus runs at a time.
# Scratch space: $FIXCHECK_DIR (default: $CORPUS_DIR/fixcheck).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
only=""
bin=""
reportonly=0
while [ $# -gt 0 ]; do
  case "$1" in
    -only) only=$2; shift 2 ;;
    -bin) bin=$2; shift 2 ;;
    -report-only) reportonly=1; shift ;;
    *) echo "fixcheck: unknown argument $1" >&2; exit 2 ;;
  esac
done
for tool in flock go gofmt git; do
  command -v "$tool" >/dev/null || { echo "fixcheck: $tool is needed and was not found on PATH" >&2; exit 2; }
done
export GOWORK=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
corpus=${CORPUS_DIR:-$HOME/.cache/lifecycle-lsp-corpus}
scratch=${FIXCHECK_DIR:-$corpus/fixcheck}
lock=/tmp/corpus.lock
mkdir -p "$scratch/results"

# short MODULE: the name a module goes by in the corpus (as run.sh).
short() {
  local m=${1%@*}
  m=${m%/v[0-9]*}
  m=${m##*/}
  echo "$m"
}

# The modules in run order: -only's order, or modules.txt's with
# tailscale.com (the largest by far) last.
if [ -n "$only" ]; then
  names=${only//,/ }
else
  names=""
  while read -r modver _; do
    [ -z "$modver" ] && continue
    names="$names $(short "$modver")"
  done < <(grep -v '^#' "$root/bench/corpus/modules.txt")
  names="$(echo "$names" | tr ' ' '\n' | grep -v '^tailscale.com$' | tr '\n' ' ') tailscale.com"
fi

# buildvet DIR OUT: go build ./... and go vet ./... in DIR, each one's
# output and exit status in OUT.build / OUT.vet.
buildvet() {
  local dir=$1 out=$2 status
  status=0
  (cd "$dir" && flock "$lock" go build ./... >"$out.build" 2>&1) || status=$?
  echo "exit $status" >>"$out.build"
  status=0
  (cd "$dir" && flock "$lock" go vet ./... >"$out.vet" 2>&1) || status=$?
  echo "exit $status" >>"$out.vet"
}

# lsp DIR OUT FLAGS...: lifecycle-lsp check FLAGS ./... in DIR, its stdout in
# OUT, its stderr and exit status beside it (OUT without extension .stderr, .exit).
lsp() {
  local dir=$1 out=$2 status=0
  shift 2
  (cd "$dir" && flock "$lock" "$scratch/lifecycle-lsp" check "$@" ./... >"$out" 2>"${out%.*}.stderr") || status=$?
  echo "$status" >"${out%.*}.exit"
}

if [ $reportonly = 0 ]; then
  if [ -n "$bin" ]; then
    cp "$bin" "$scratch/lifecycle-lsp"
    echo "unknown (-bin $bin)" >"$scratch/results/commit"
  else
    commit=$(cd "$root" && git rev-parse HEAD)
    echo "fixcheck: building lifecycle-lsp at $commit" >&2
    src="$scratch/src-$commit"
    rm -rf "$src"
    mkdir -p "$src"
    (cd "$root" && git archive HEAD) | tar -x -C "$src"
    (cd "$src" && flock "$lock" go build -o "$scratch/lifecycle-lsp" ./cmd/lifecycle-lsp)
    rm -rf "$src"
    echo "$commit" >"$scratch/results/commit"
  fi
  for name in $names; do
    orig="$corpus/$name"
    if [ ! -f "$orig/.corpus-version" ]; then
      echo "fixcheck: $orig is missing; fetch it with bash bench/corpus/run.sh -only $name" >&2
      exit 2
    fi
    work="$scratch/$name"
    res="$scratch/results/$name"
    rm -rf "$work" "$res"
    mkdir -p "$res"
    cp -a "$orig" "$work"
    t0=$(date +%s)
    echo "fixcheck: $name: findings" >&2
    lsp "$work" "$res/before.json" -format json
    echo "fixcheck: $name: build and vet before the fixes" >&2
    buildvet "$work" "$res/base"
    echo "fixcheck: $name: check -fix" >&2
    lsp "$work" "$res/fix.stdout" -fix
    echo "fixcheck: $name: findings after the fixes" >&2
    lsp "$work" "$res/after.json" -format json
    echo "fixcheck: $name: build and vet after the fixes" >&2
    buildvet "$work" "$res/fixed"
    # The files the fixes changed, relative to the module root.
    (diff -rq "$orig" "$work" || true) | sed -n "s|^Files $orig/\(.*\.go\) and .* differ\$|\1|p" | sort >"$res/changed"
    (diff -r -u "$orig" "$work" >"$res/fix.diff" || true)
    : >"$res/gofmt"
    : >"$res/gofmt.before"
    if [ -s "$res/changed" ]; then
      (cd "$work" && xargs gofmt -l <"$res/changed" >"$res/gofmt" 2>&1 || true)
      (cd "$orig" && xargs gofmt -l <"$res/changed" >"$res/gofmt.before" 2>&1 || true)
    fi
    echo "fixcheck: $name took $(( $(date +%s) - t0 )) s" >&2
  done
fi

(cd "$root" && go run ./bench/corpus/fixcheck -results "$scratch/results" -src "$scratch" -orig "$corpus")
