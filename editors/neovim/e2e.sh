#!/usr/bin/env bash
# End-to-end test of lifecycle-lsp with a real editor: headless Neovim
# (Debian's neovim package, 0.7.x, or newer) opens a Go file, waits for the
# server's diagnostics, requests and applies the quick fix, saves, and the
# saved file is compared with the expected text.
#
# Usage: editors/neovim/e2e.sh          (from anywhere in the repository)
# Installs Neovim with apt-get when it is missing (needs root); fails loudly
# when it cannot. Never skips.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

if ! command -v nvim >/dev/null 2>&1; then
  echo "e2e: nvim not found; installing Debian's neovim package" >&2
  if [ "$(id -u)" -ne 0 ]; then
    fail "nvim is missing and installing it needs root (apt-get install -y neovim)"
  fi
  (apt-get update && apt-get install -y neovim) >&2 || fail "could not install neovim with apt-get"
fi
command -v nvim >/dev/null 2>&1 || fail "nvim still not found after installation"
echo "e2e: $(nvim --version | head -1)" >&2

echo "e2e: building the server" >&2
(cd "$repo" && go build -o "$work/lifecycle-lsp" ./cmd/lifecycle-lsp) || fail "go build failed"

# run_case NAME DIR FILE LINE EXPECTED: open DIR/FILE, fix the leak
# diagnostic on LINE, and compare the saved file with EXPECTED.
run_case() {
  local name="$1" dir="$2" file="$3" line="$4" expected="$5"
  local out="$work/$name"
  echo "e2e: case $name: $file line $line" >&2
  (cd "$dir" && LSP_CMD="$work/lifecycle-lsp" OUT="$out" CHECK=leak LINE="$line" \
    timeout 180 nvim --headless -n -i NONE -u "$here/e2e.lua" -c 'lua E2E()' "$file") 2>"$out.stderr" \
    || { cat "$out.log" "$out.stderr" >&2 2>/dev/null || true; fail "case $name: nvim exited with an error"; }
  grep -qx OK "$out.log" || { cat "$out.log" >&2; fail "case $name: the Neovim script did not report OK"; }
  echo "e2e: diagnostics seen:" >&2
  sed 's/^/  /' "$out.diagnostics" >&2
  if ! diff -u "$expected" "$dir/$file" >&2; then
    fail "case $name: the saved file differs from the expected text"
  fi
  echo "e2e: case $name: OK" >&2
}

# Case 1: a module of our own with an exactly known result.
mod="$work/mod"
mkdir -p "$mod/fetch"
printf 'module example.com/e2e\n\ngo 1.22\n' > "$mod/go.mod"
cat > "$mod/fetch/fetch.go" <<'GO'
package fetch

import "net/http"

// Status returns the status code of u.
func Status(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
GO
cat > "$work/fetch.expected" <<'GO'
package fetch

import "net/http"

// Status returns the status code of u.
func Status(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
GO
run_case own "$mod" fetch/fetch.go 7 "$work/fetch.expected"

# Case 2: the repository's examples module (a copy; the original is not
# touched): the body leaked by sdk.Client.Ping.
if [ -f "$repo/examples/go.mod" ] && [ -f "$repo/examples/sdk/client.go" ]; then
  cp -r "$repo/examples" "$work/examples"
  src="$work/examples/sdk/client.go"
  line="$(grep -n 'resp, err := http.Get(c.BaseURL + "/healthz")' "$src" | head -1 | cut -d: -f1)"
  [ -n "$line" ] || fail "examples/sdk/client.go no longer has the Ping leak this test fixes"
  # Expected: the original with `defer resp.Body.Close()` right after the
  # error check that follows the acquisition.
  awk -v l="$line" '
    { print }
    NR > l && !done && $0 == "\t}" { print "\tdefer resp.Body.Close()"; done = 1 }
  ' "$src" > "$work/client.expected"
  run_case examples "$work/examples" sdk/client.go "$line" "$work/client.expected"
else
  echo "e2e: $repo/examples not present; ran the own-module case only" >&2
fi
echo "e2e: PASS"
