// Finding the lifecycle-lsp binary. Pure: every access to the file system
// and the environment goes through the Host, so tests can fake them.

import * as path from 'path';

export const SERVER_NAME = 'lifecycle-lsp';
export const MODULE_PATH = 'github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp';
export const INSTALL_ARGS = ['install', `${MODULE_PATH}@latest`];
export const INSTALL_COMMAND = `go ${INSTALL_ARGS.join(' ')}`;
/** The module is not published yet: from a clone of the repository, this works today. */
export const REPO_URL = 'https://github.com/lifecycle-lsp/lifecycle-lsp';
export const CLONE_INSTALL_COMMAND = `git clone ${REPO_URL} && cd lifecycle-lsp && go install ./cmd/lifecycle-lsp`;

/** A workspace folder and the text of its go.mod (undefined when it has none). */
export interface FolderModule {
  path: string;
  goMod: string | undefined;
}

/** How the Install button installs the server: a go command and its directory. */
export interface InstallPlan {
  args: string[];
  cwd: string | undefined;
  /** The command as the user would type it. */
  display: string;
}

/**
 * Picks the install command. In a clone of lifecycle-lsp (a workspace folder
 * whose go.mod declares the module) it installs from that clone, which works
 * today; elsewhere it installs the published module, which works once the
 * module is released.
 */
export function installPlan(folders: FolderModule[]): InstallPlan {
  for (const f of folders) {
    const m = f.goMod?.match(/^module\s+(\S+)/m);
    if (m && m[1] === 'github.com/lifecycle-lsp/lifecycle-lsp') {
      return { args: ['install', './cmd/lifecycle-lsp'], cwd: f.path, display: `go install ./cmd/lifecycle-lsp (in ${f.path})` };
    }
  }
  return { args: INSTALL_ARGS, cwd: undefined, display: INSTALL_COMMAND };
}
export const README_URL = 'https://github.com/lifecycle-lsp/lifecycle-lsp#readme';

export interface Host {
  /** Environment variables (PATH, GOBIN, GOPATH, HOME, USERPROFILE, PATHEXT). */
  env: Record<string, string | undefined>;
  /** process.platform */
  platform: string;
  /** The user's home directory. */
  home: string;
  /** Whether path is an executable regular file. */
  isExecutable(p: string): boolean;
}

export type Source = 'setting' | 'bundled' | 'PATH' | 'GOBIN' | 'GOPATH' | 'home';

export interface Found {
  kind: 'found';
  path: string;
  source: Source;
}

export interface NotFound {
  kind: 'notFound';
  /** Every location that was looked at, in order. */
  tried: string[];
  /** Set when lifecycle.serverPath was given but is unusable. */
  settingError?: string;
}

export type Discovery = Found | NotFound;

function pathApi(platform: string): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** The file names the binary may have on this platform. */
export function executableNames(name: string, host: Host): string[] {
  if (host.platform !== 'win32') {
    return [name];
  }
  if (/\.[a-z0-9]+$/i.test(name)) {
    return [name];
  }
  const exts = (host.env.PATHEXT || '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return exts.map((e) => name + e.toLowerCase());
}

/** Expands a leading ~ and ${env:VAR} / $HOME references in a setting. */
export function expandPath(p: string, host: Host): string {
  let out = p.trim();
  out = out.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, v: string) => host.env[v] ?? '');
  if (out === '~') {
    return host.home;
  }
  if (out.startsWith('~/') || out.startsWith('~\\')) {
    return pathApi(host.platform).join(host.home, out.slice(2));
  }
  return out;
}

function listSep(platform: string): string {
  return platform === 'win32' ? ';' : ':';
}

/**
 * Where to look, in order: the setting (a path, or a bare name looked up on
 * PATH), then PATH, $GOBIN, each $GOPATH entry's bin, ~/go/bin.
 */
/**
 * Looks for the server: the lifecycle.serverPath setting; the binary bundled
 * in a platform-specific .vsix (bundled, the extension's bin/lifecycle-lsp);
 * then PATH, $GOBIN, $GOPATH/bin and ~/go/bin.
 */
export function discoverServer(setting: string | undefined, host: Host, bundled?: string): Discovery {
  const p = pathApi(host.platform);
  const tried: string[] = [];
  const probe = (candidate: string): boolean => {
    tried.push(candidate);
    return host.isExecutable(candidate);
  };

  const searchPath = (name: string): string | undefined => {
    const dirs = (host.env.PATH || '').split(listSep(host.platform)).filter(Boolean);
    for (const dir of dirs) {
      for (const exe of executableNames(name, host)) {
        const c = p.join(dir, exe);
        if (probe(c)) {
          return c;
        }
      }
    }
    return undefined;
  };

  if (setting && setting.trim() !== '') {
    const expanded = expandPath(setting, host);
    const bare = !expanded.includes('/') && !expanded.includes('\\');
    if (bare) {
      const hit = searchPath(expanded);
      if (hit) {
        return { kind: 'found', path: hit, source: 'setting' };
      }
      return { kind: 'notFound', tried, settingError: `lifecycle.serverPath is "${setting}", which is not on PATH` };
    }
    const abs = p.isAbsolute(expanded) ? expanded : p.resolve(host.home, expanded);
    for (const c of host.platform === 'win32' ? [abs, ...executableNames(abs, host)] : [abs]) {
      if (probe(c)) {
        return { kind: 'found', path: c, source: 'setting' };
      }
    }
    return { kind: 'notFound', tried, settingError: `lifecycle.serverPath is "${setting}", which is not an executable file` };
  }

  if (bundled && probe(bundled)) {
    return { kind: 'found', path: bundled, source: 'bundled' };
  }

  const onPath = searchPath(SERVER_NAME);
  if (onPath) {
    return { kind: 'found', path: onPath, source: 'PATH' };
  }

  const inDir = (dir: string): string | undefined => {
    for (const exe of executableNames(SERVER_NAME, host)) {
      const c = p.join(dir, exe);
      if (probe(c)) {
        return c;
      }
    }
    return undefined;
  };

  const gobin = host.env.GOBIN;
  if (gobin) {
    const hit = inDir(gobin);
    if (hit) {
      return { kind: 'found', path: hit, source: 'GOBIN' };
    }
  }
  const gopath = host.env.GOPATH;
  if (gopath) {
    for (const entry of gopath.split(listSep(host.platform)).filter(Boolean)) {
      const hit = inDir(p.join(entry, 'bin'));
      if (hit) {
        return { kind: 'found', path: hit, source: 'GOPATH' };
      }
    }
  }
  if (host.home) {
    const hit = inDir(p.join(host.home, 'go', 'bin'));
    if (hit) {
      return { kind: 'found', path: hit, source: 'home' };
    }
  }
  return { kind: 'notFound', tried };
}

/** Where a platform-specific .vsix carries the server, below the extension's directory. */
export function bundledServerPath(extensionDir: string, platform: string): string {
  const p = pathApi(platform);
  return p.join(extensionDir, 'bin', platform === 'win32' ? `${SERVER_NAME}.exe` : SERVER_NAME);
}

/** The text of the "not found" notification. */
export function notFoundMessage(d: NotFound): string {
  const why = d.settingError
    ? `${d.settingError}.`
    : `The lifecycle-lsp server was not found on PATH, in $GOBIN, $GOPATH/bin or ~/go/bin.`;
  return `${why} Install it from a clone of the repository: ${CLONE_INSTALL_COMMAND} (once the module is published: ${INSTALL_COMMAND}), or set lifecycle.serverPath.`;
}
