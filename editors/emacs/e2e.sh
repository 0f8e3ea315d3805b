#!/usr/bin/env bash
# End-to-end test of lifecycle-lsp in Emacs: Debian's emacs-nox with
# elpa-eglot and elpa-go-mode, in batch mode, using the eglot-server-programs
# entry of editors/emacs/lifecycle-lsp.el. It builds the server from this
# repository, copies examples/ into a temp workspace, opens a file with a
# leaked response body, waits for the diagnostic, applies the quick fix,
# compares the saved file with the expected text, applies
# source.fixAll.lifecycle and checks the file's diagnostics clear.
# Installs what it needs with apt (as root) and fails loudly otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${LIFECYCLE_EMACS_E2E_WORK:-${TMPDIR:-/tmp}/lifecycle-lsp-e2e/emacs}
EXAMPLE_FILE=${E2E_EXAMPLE_FILE:-sdk/client.go}
EXAMPLE_NEEDLE=${E2E_EXAMPLE_NEEDLE:-http.Get is never closed}
T_START=$(date +%s)
say() { echo "[emacs e2e.sh +$(( $(date +%s) - T_START ))s] $*"; }
die() { echo "emacs e2e: FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

command -v go >/dev/null 2>&1 || die "go is required (Go 1.26)"

pkgs=()
command -v emacs >/dev/null 2>&1 || pkgs+=(emacs-nox)
[ -d /usr/share/emacs/site-lisp/elpa/eglot-1.9 ] || ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 || pkgs+=(elpa-eglot)
ls -d /usr/share/emacs/site-lisp/elpa/go-mode-* >/dev/null 2>&1 || pkgs+=(elpa-go-mode)
if [ ${#pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${pkgs[*]} (run as root, or: sudo apt-get install ${pkgs[*]})"
  say "apt-get install ${pkgs[*]}"
  for i in 1 2 3 4 5 6; do   # another job may hold the dpkg lock
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null; then break; fi
    [ "$i" = 6 ] && die "apt-get install ${pkgs[*]} failed"
    sleep 10
  done
fi
command -v emacs >/dev/null 2>&1 || die "emacs is missing after apt-get install emacs-nox"

rm -rf "$WORK"
mkdir -p "$WORK/bin"
say "go build the server"
(cd "$REPO" && go build -o "$WORK/bin/lifecycle-lsp" ./cmd/lifecycle-lsp) || die "go build ./cmd/lifecycle-lsp failed"

WS="$WORK/ws"
cp -r "$REPO/examples" "$WS"
TARGET="$WS/$EXAMPLE_FILE"
[ -f "$TARGET" ] || die "examples/$EXAMPLE_FILE does not exist"
set +e
"$WORK/bin/lifecycle-lsp" check -format json -C "$WS" ./... >"$WORK/findings.json" 2>"$WORK/findings.err"
rc=$?
set -e
[ "$rc" = 1 ] || die "lifecycle-lsp check on the examples exited $rc, want 1 (findings): $(head -5 "$WORK/findings.err")"

say "emacs --batch with eglot"
set +e
# Not -Q: Debian's elpa packages are loaded from site-start.
HOME="$WORK/home" PATH="$WORK/bin:$PATH" \
  E2E_TARGET="$TARGET" E2E_FINDINGS="$WORK/findings.json" E2E_NEEDLE="$EXAMPLE_NEEDLE" \
  E2E_CONFIG="$HERE/lifecycle-lsp.el" \
  timeout 300 emacs --batch -l "$HERE/e2e.el" 2>&1 | tee "$WORK/emacs.log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ]; then
  (cd "$WS" && go build ./...) >"$WORK/build-after.log" 2>&1 || { cat "$WORK/build-after.log" >&2; rc=1; echo "emacs e2e: fixed workspace does not build" >&2; }
fi
if [ "$rc" != 0 ]; then
  echo "emacs e2e: FAILED (exit $rc) after $(( $(date +%s) - T_START ))s; logs in $WORK" >&2
  exit 1
fi
say "PASS"
