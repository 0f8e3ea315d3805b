// Builds the platform-specific .vsix files: for each target, the server is
// cross-compiled (CGO_ENABLED=0) into bin/ and `vsce package --target` packs
// it with the extension, which runs it when lifecycle.serverPath is not set.
//
// Usage: node scripts/package.mjs [--target linux-x64,...] [--out DIR]
//   default targets: every one of TARGETS; default DIR: dist/
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGETS = {
  'linux-x64': { GOOS: 'linux', GOARCH: 'amd64' },
  'linux-arm64': { GOOS: 'linux', GOARCH: 'arm64' },
  'darwin-x64': { GOOS: 'darwin', GOARCH: 'amd64' },
  'darwin-arm64': { GOOS: 'darwin', GOARCH: 'arm64' },
  'win32-x64': { GOOS: 'windows', GOARCH: 'amd64' },
};

const ext = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const repo = path.dirname(ext);

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const targets = (arg('--target') ?? Object.keys(TARGETS).join(',')).split(',').filter(Boolean);
for (const t of targets) {
  if (!TARGETS[t]) {
    console.error(`package: unknown target ${t} (known: ${Object.keys(TARGETS).join(', ')})`);
    process.exit(2);
  }
}
const out = path.resolve(arg('--out') ?? path.join(ext, 'dist'));
mkdirSync(out, { recursive: true });

const bin = path.join(ext, 'bin');
try {
  for (const t of targets) {
    const { GOOS, GOARCH } = TARGETS[t];
    rmSync(bin, { recursive: true, force: true });
    const exe = path.join(bin, GOOS === 'windows' ? 'lifecycle-lsp.exe' : 'lifecycle-lsp');
    console.log(`package: ${t}: go build (GOOS=${GOOS} GOARCH=${GOARCH})`);
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', exe, './cmd/lifecycle-lsp'], {
      cwd: repo,
      stdio: 'inherit',
      env: { ...process.env, GOOS, GOARCH, CGO_ENABLED: '0', GOWORK: 'off' },
    });
    const vsix = path.join(out, `lifecycle-lsp-${t}.vsix`);
    console.log(`package: ${t}: vsce package -> ${vsix}`);
    execFileSync('npx', ['--no-install', 'vsce', 'package', '--target', t, '--no-dependencies', '--skip-license', '-o', vsix], {
      cwd: ext,
      stdio: 'inherit',
    });
  }
} finally {
  rmSync(bin, { recursive: true, force: true });
}
