import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bundledServerPath, CLONE_INSTALL_COMMAND, discoverServer, expandPath, Host, INSTALL_COMMAND, installPlan, notFoundMessage } from '../src/discovery';

function host(files: string[], env: Record<string, string> = {}, platform = 'linux', home = '/home/u'): Host {
  const set = new Set(files);
  return { env, platform, home, isExecutable: (p) => set.has(p) };
}

test('the setting wins over PATH', () => {
  const h = host(['/opt/ll/lifecycle-lsp', '/usr/bin/lifecycle-lsp'], { PATH: '/usr/bin' });
  assert.deepEqual(discoverServer('/opt/ll/lifecycle-lsp', h), { kind: 'found', path: '/opt/ll/lifecycle-lsp', source: 'setting' });
});

test('a setting with ~ is expanded', () => {
  const h = host(['/home/u/bin/lifecycle-lsp']);
  const d = discoverServer('~/bin/lifecycle-lsp', h);
  assert.equal(d.kind, 'found');
  assert.equal(d.kind === 'found' && d.path, '/home/u/bin/lifecycle-lsp');
});

test('a setting that does not exist is an error, with no fallback to PATH', () => {
  const h = host(['/usr/bin/lifecycle-lsp'], { PATH: '/usr/bin' });
  const d = discoverServer('/nope/lifecycle-lsp', h);
  assert.equal(d.kind, 'notFound');
  assert.match(d.kind === 'notFound' ? d.settingError ?? '' : '', /not an executable file/);
  assert.match(notFoundMessage(d as never), /nope/);
});

test('a bare name in the setting is looked up on PATH', () => {
  const h = host(['/usr/local/bin/my-lsp'], { PATH: '/usr/bin:/usr/local/bin' });
  assert.deepEqual(discoverServer('my-lsp', h), { kind: 'found', path: '/usr/local/bin/my-lsp', source: 'setting' });
});

test('PATH is searched in order', () => {
  const h = host(['/b/lifecycle-lsp', '/c/lifecycle-lsp'], { PATH: '/a::/b:/c' });
  assert.deepEqual(discoverServer('', h), { kind: 'found', path: '/b/lifecycle-lsp', source: 'PATH' });
});

test('then $GOBIN, then each $GOPATH/bin, then ~/go/bin', () => {
  const all = ['/gobin/lifecycle-lsp', '/gp2/bin/lifecycle-lsp', '/home/u/go/bin/lifecycle-lsp'];
  const env = { PATH: '/usr/bin', GOBIN: '/gobin', GOPATH: '/gp1:/gp2' };
  assert.equal((discoverServer(undefined, host(all, env)) as { source: string }).source, 'GOBIN');
  assert.deepEqual(discoverServer(undefined, host(all.slice(1), env)), { kind: 'found', path: '/gp2/bin/lifecycle-lsp', source: 'GOPATH' });
  assert.deepEqual(discoverServer(undefined, host(all.slice(2), env)), { kind: 'found', path: '/home/u/go/bin/lifecycle-lsp', source: 'home' });
});

test('nothing found lists every place looked at and the install command', () => {
  const d = discoverServer(undefined, host([], { PATH: '/usr/bin', GOBIN: '/gobin', GOPATH: '/gp' }));
  assert.equal(d.kind, 'notFound');
  if (d.kind === 'notFound') {
    assert.deepEqual(d.tried, ['/usr/bin/lifecycle-lsp', '/gobin/lifecycle-lsp', '/gp/bin/lifecycle-lsp', '/home/u/go/bin/lifecycle-lsp']);
    assert.equal(d.settingError, undefined);
    const msg = notFoundMessage(d);
    assert.ok(msg.includes(INSTALL_COMMAND));
    assert.ok(msg.includes(CLONE_INSTALL_COMMAND), 'the message says what works before the module is published');
    assert.equal(INSTALL_COMMAND, 'go install github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp@latest');
  }
});

test('windows: PATHEXT names and ; separators', () => {
  const h = host(['C:\\go\\bin\\lifecycle-lsp.exe'], { PATH: 'C:\\x;C:\\go\\bin', PATHEXT: '.COM;.EXE' }, 'win32', 'C:\\Users\\u');
  assert.deepEqual(discoverServer(undefined, h), { kind: 'found', path: 'C:\\go\\bin\\lifecycle-lsp.exe', source: 'PATH' });
  const h2 = host(['C:\\Users\\u\\go\\bin\\lifecycle-lsp.exe'], { PATH: '' }, 'win32', 'C:\\Users\\u');
  assert.equal((discoverServer(undefined, h2) as { source: string }).source, 'home');
});

test('expandPath handles ${env:VAR}', () => {
  assert.equal(expandPath('${env:TOOLS}/lifecycle-lsp', host([], { TOOLS: '/t' })), '/t/lifecycle-lsp');
  assert.equal(expandPath('  ~  ', host([])), '/home/u');
});

test('install plan: from a clone of lifecycle-lsp in the workspace, else the published module', () => {
  const clone = installPlan([
    { path: '/w/app', goMod: 'module example.com/app\n' },
    { path: '/w/lifecycle-lsp', goMod: '// comment\nmodule github.com/lifecycle-lsp/lifecycle-lsp\n\ngo 1.26\n' },
  ]);
  assert.deepEqual(clone.args, ['install', './cmd/lifecycle-lsp']);
  assert.equal(clone.cwd, '/w/lifecycle-lsp');
  const published = installPlan([{ path: '/w/app', goMod: 'module example.com/app\n' }, { path: '/w/none', goMod: undefined }]);
  assert.equal(published.display, INSTALL_COMMAND);
  assert.equal(published.cwd, undefined);
});

test('a bundled server comes after the setting and before PATH', () => {
  const bundled = bundledServerPath('/ext', 'linux');
  assert.equal(bundled, '/ext/bin/lifecycle-lsp');
  const files = ['/usr/bin/lifecycle-lsp', bundled, '/opt/my/lifecycle-lsp'];
  assert.deepEqual(discoverServer(undefined, host(files, { PATH: '/usr/bin' }), bundled), { kind: 'found', path: bundled, source: 'bundled' });
  assert.deepEqual(discoverServer('/opt/my/lifecycle-lsp', host(files, { PATH: '/usr/bin' }), bundled), {
    kind: 'found',
    path: '/opt/my/lifecycle-lsp',
    source: 'setting',
  });
  // A universal .vsix has no bin/: discovery goes on to PATH.
  assert.deepEqual(discoverServer(undefined, host(['/usr/bin/lifecycle-lsp'], { PATH: '/usr/bin' }), bundled), {
    kind: 'found',
    path: '/usr/bin/lifecycle-lsp',
    source: 'PATH',
  });
  assert.equal(bundledServerPath('C:\\ext', 'win32'), 'C:\\ext\\bin\\lifecycle-lsp.exe');
});
