#!/usr/bin/env bash
# Times whole runs of `lifecycle-lsp check PATTERN` (the streaming driver,
# without its result cache: every run is cold) and of `check -driver checker`
# against the floor (a program that only loads and type-checks PATTERN with
# go/packages, whole graph in memory) and against staticcheck (installed from
# the module proxy into a temporary directory, with an empty
# STATICCHECK_CACHE for every run). Prints the median wall time and peak RSS
# of each (and the CPU time, user + system, which a loaded machine
# disturbs less) and the ratios. bench/check/cache.sh measures the result cache.
#
# With -floor-only, only the floor and check are run (no staticcheck, no
# -driver checker).
#
# Usage: bash bench/check/run.sh [-n RUNS] [-checks LIST] [-floor-only] [PATTERN]   (default: -n 3 std)
set -euo pipefail
runs=3
checks=""
all=true
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -floor-only) all=false; shift ;;
    -checks) checks=$2; shift 2 ;;
    *) break ;;
  esac
done
pattern=${1:-std}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

echo "building lifecycle-lsp and the floor program..." >&2
(cd "$root" && go build -o "$work/lifecycle-lsp" ./cmd/lifecycle-lsp && go build -o "$work/floor" ./bench/floor)
staticcheck_version=none
if $all; then
  echo "installing staticcheck into $work/bin..." >&2
  GOBIN="$work/bin" GOFLAGS= go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 >&2
  staticcheck_version=$("$work/bin/staticcheck" -version)
fi

checkargs=(check -cache off)
[ -n "$checks" ] && checkargs+=(-checks "$checks")

# measure NAME CMD... : appends "seconds kbytes" lines to $work/NAME
measure() {
  local name=$1; shift
  /usr/bin/time -f "TIME %e %M %U %S" "$@" >/dev/null 2>"$work/last.err" || true
  local line
  line=$(grep '^TIME' "$work/last.err" | tail -1)
  if [ -z "$line" ]; then
    echo "bench: $name did not run:" >&2; cat "$work/last.err" >&2; exit 2
  fi
  echo "${line#TIME }" | awk '{print $1, $2, $3 + $4}' >> "$work/results.$name"
}

cd "$work"
for i in $(seq "$runs"); do
  echo "run $i/$runs" >&2
  measure floor "$work/floor" "$pattern"
  measure check "$work/lifecycle-lsp" "${checkargs[@]}" "$pattern"
  if $all; then
    measure checker "$work/lifecycle-lsp" "${checkargs[@]}" -driver checker "$pattern"
    cache=$(mktemp -d)
    STATICCHECK_CACHE=$cache measure staticcheck "$work/bin/staticcheck" "$pattern"
    rm -rf "$cache"
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
report() {
  local name=$1
  local t m u
  t=$(cut -d' ' -f1 "$work/results.$name" | median)
  m=$(cut -d' ' -f2 "$work/results.$name" | median)
  u=$(cut -d' ' -f3 "$work/results.$name" | median)
  printf "%-12s %10s %10s %14s\n" "$name" "$t" "$u" "$((${m%.*} / 1024))"
  eval "${name}_t=$t; ${name}_m=$m; ${name}_u=$u"
}
echo
echo "pattern: $pattern   runs: $runs   checks: ${checks:-default}   staticcheck: $staticcheck_version   $(nproc) CPUs"
printf "%-12s %10s %10s %14s\n" "program" "median s" "CPU s" "peak RSS MiB"
report floor
report check
if ! $all; then
  awk -v c="$check_t" -v f="$floor_t" -v cm="$check_m" -v fm="$floor_m" -v cu="$check_u" -v fu="$floor_u" 'BEGIN { printf "\ncheck / floor       time %.2fx   CPU %.2fx   RSS %.2fx\n", c/f, cu/fu, cm/fm }'
  exit 0
fi
report checker
report staticcheck
awk -v c="$check_t" -v f="$floor_t" -v s="$staticcheck_t" -v cm="$check_m" -v fm="$floor_m" -v sm="$staticcheck_m" -v k="$checker_t" -v km="$checker_m" 'BEGIN {
  printf "\ncheck / floor       time %.2fx   RSS %.2fx\n", c/f, cm/fm
  printf "checker / floor     time %.2fx   RSS %.2fx\n", k/f, km/fm
  printf "check / staticcheck time %.2fx   RSS %.2fx\n", c/s, cm/sm
}'
