#!/usr/bin/env bash
# Times `lifecycle-lsp check -driver stream` on a module with its result
# cache: cold (empty cache), warm (nothing changed) and after one file of a
# leaf package is edited, against the default driver (-driver checker) and
# the stream driver without a cache. Prints the median wall time, CPU time
# (user + system, which a loaded machine disturbs less) and peak RSS of
# each and the ratios the scale targets are stated in.
#
# The module is copied to a temporary directory first (edits never touch
# the original). MODULE_DIR std measures the standard library instead;
# with a LEAF_PACKAGE_DIR (under GOROOT/src, e.g. log/syslog) GOROOT is
# copied (about 300 MB) and the runs use the copy, whose leaf file is
# edited.
#
# With -stream-only the two baseline runs (-driver checker, -cache off) are
# skipped and the warm run's findings are compared with the cold run's.
#
# Usage: bash bench/check/cache.sh [-n RUNS] [-stream-only] MODULE_DIR LEAF_PACKAGE_DIR
#        bash bench/check/cache.sh [-n RUNS] [-stream-only] std [LEAF_PACKAGE_DIR]
# e.g.   bash bench/check/cache.sh "$(go env GOMODCACHE)/golang.org/x/tools@v0.52.0" go/analysis/passes/lostcancel/cmd/lostcancel
set -euo pipefail
runs=3
baseline=true
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -stream-only) baseline=false; shift ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { sed -n '2,/^set /{/^#/p}' "$0" >&2; exit 2; }
src=$1
leaf=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

echo "building lifecycle-lsp..." >&2
(cd "$root" && go build -o "$work/lifecycle-lsp" ./cmd/lifecycle-lsp)

if [ "$src" = std ]; then
  dir=$work; pattern=std
  if [ -n "$leaf" ]; then
    goroot=$(go env GOROOT)
    echo "copying $goroot..." >&2
    cp -r "$goroot" "$work/goroot"
    chmod -R u+w "$work/goroot"
    export GOROOT=$work/goroot PATH=$work/goroot/bin:$PATH
    [ -d "$GOROOT/src/$leaf" ] || { echo "bench: leaf package directory $leaf not found in $goroot/src" >&2; exit 2; }
    leaf=src/$leaf
  fi
  leafdir=${GOROOT:-}/$leaf
else
  cp -r "$src" "$work/module"
  chmod -R u+w "$work/module"
  dir=$work/module; pattern=./...
  [ -n "$leaf" ] && [ -d "$dir/$leaf" ] || { echo "bench: leaf package directory $leaf not found in $src" >&2; exit 2; }
  leafdir=$dir/$leaf
fi

# measure NAME ARGS... : runs check in $dir, appends "seconds kbytes" to $work/results.NAME
measure() {
  local name=$1; shift
  local status=0
  (cd "$dir" && /usr/bin/time -f "TIME %e %M %U %S" "$work/lifecycle-lsp" check "$@" "$pattern" >"$work/out.$name" 2>"$work/err") || status=$?
  if [ "$status" -gt 1 ] && ! grep -q '^TIME' "$work/err"; then
    echo "bench: $name exited $status:" >&2; cat "$work/err" >&2; exit 2
  fi
  grep '^TIME' "$work/err" | tail -1 | awk '{print $2, $3, $4 + $5}' >> "$work/results.$name"
}

for i in $(seq "$runs"); do
  echo "run $i/$runs" >&2
  if $baseline; then
    measure checker -driver checker
    measure nocache -driver stream -cache off
  fi
  rm -rf "$work/cache"
  measure cold -driver stream -cache "$work/cache"
  measure warm -driver stream -cache "$work/cache"
  if [ -n "$leaf" ]; then
    file=$(ls "$leafdir"/*.go | grep -v _test.go | head -1)
    printf '\nfunc benchEdit%d() int { return %d }\n' "$i" "$i" >> "$file"
    measure edit -driver stream -cache "$work/cache"
  fi
  if $baseline; then
    cmp -s "$work/out.checker" "$work/out.warm" || { echo "bench: the warm run's findings differ from the checker's" >&2; exit 2; }
  else
    cmp -s "$work/out.cold" "$work/out.warm" || { echo "bench: the warm run's findings differ from the cold run's" >&2; exit 2; }
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "pattern: $pattern in ${src}   runs: $runs   $(nproc) CPUs   findings: $(wc -l < "$work/out.cold")"
printf "%-28s %10s %10s %14s\n" "run" "median s" "CPU s" "peak RSS MiB"
for name in checker nocache cold warm edit; do
  [ -f "$work/results.$name" ] || continue
  t=$(cut -d' ' -f1 "$work/results.$name" | median)
  m=$(cut -d' ' -f2 "$work/results.$name" | median)
  u=$(cut -d' ' -f3 "$work/results.$name" | median)
  case $name in
    checker) label="-driver checker" ;;
    nocache) label="-driver stream -cache off" ;;
    cold) label="stream, cold cache" ;;
    warm) label="stream, warm (no change)" ;;
    edit) label="stream, one leaf file edited" ;;
  esac
  printf "%-28s %10s %10s %14s\n" "$label" "$t" "$u" "$((${m%.*} / 1024))"
  eval "t_$name=$t; u_$name=$u"
done
awk -v c="$t_cold" -v w="$t_warm" -v e="${t_edit:-0}" -v cu="$u_cold" -v wu="$u_warm" -v eu="${u_edit:-0}" 'BEGIN {
  printf "\nwall: warm / cold %.1f%% (target <= 10%%)", 100*w/c
  if (e > 0) printf "   edit / cold %.1f%% (target <= 15%%)", 100*e/c
  printf "\nCPU:  warm / cold %.1f%%", 100*wu/cu
  if (eu > 0) printf "                     edit / cold %.1f%%", 100*eu/cu
  printf "\n"
}'
