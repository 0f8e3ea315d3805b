#!/usr/bin/env bash
# Times `lifecycle-lsp check` on one generated file holding N, 2N and 4N
# functions that each leak an *os.File (one finding per function) and prints
# the median wall time and peak RSS of each size and the ratio 4N / N.
# Linear cost in findings keeps the ratio at or below 4 (below when the fixed
# cost of starting and loading matters); the target is <= 5. A quadratic step
# shows as a ratio near 16.
#
# Usage: bash bench/findings/run.sh [-n RUNS] [N]   (default: -n 3 5000)
set -euo pipefail
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    *) break ;;
  esac
done
base=${1:-5000}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

echo "building lifecycle-lsp..." >&2
(cd "$root" && go build -o "$work/lifecycle-lsp" ./cmd/lifecycle-lsp)

# generate DIR COUNT: a module whose one file has COUNT leaking functions.
generate() {
  local dir=$1 count=$2
  mkdir -p "$dir"
  printf 'module leaks\n\ngo 1.22\n' > "$dir/go.mod"
  {
    printf 'package leaks\n\nimport "os"\n'
    for i in $(seq "$count"); do
      printf '\nfunc f%d(p string) error {\n\tf, err := os.Open(p)\n\tif err != nil {\n\t\treturn err\n\t}\n\t_, err = f.Stat()\n\treturn err\n}\n' "$i"
    done
  } > "$dir/leaks.go"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

printf "%-10s %-10s %10s %14s\n" "functions" "findings" "median s" "peak RSS MiB"
for mult in 1 2 4; do
  count=$((base * mult))
  dir="$work/x$mult"
  generate "$dir" "$count"
  : > "$work/times.$mult"
  for i in $(seq "$runs"); do
    # Exit status 1 means findings, as expected; anything else is trouble.
    status=0
    (cd "$dir" && /usr/bin/time -f "TIME %e %M" "$work/lifecycle-lsp" check -cache off . >"$work/out" 2>"$work/err") || status=$?
    if [ "$status" -ne 1 ]; then
      echo "bench: check exited $status on $count functions:" >&2; cat "$work/err" >&2; exit 2
    fi
    grep '^TIME' "$work/err" | tail -1 | cut -d' ' -f2- >> "$work/times.$mult"
  done
  found=$(wc -l < "$work/out")
  if [ "$found" -ne "$count" ]; then
    echo "bench: expected $count findings, got $found" >&2; exit 2
  fi
  t=$(cut -d' ' -f1 "$work/times.$mult" | median)
  m=$(cut -d' ' -f2 "$work/times.$mult" | median)
  printf "%-10s %-10s %10s %14s\n" "$count" "$found" "$t" "$((${m%.*} / 1024))"
  eval "t$mult=$t"
done
awk -v a="$t1" -v b="$t2" -v c="$t4" 'BEGIN { printf "\ntime ratio 2x/1x %.2f   4x/1x %.2f   (target 4x/1x <= 5)\n", b/a, c/a }'
