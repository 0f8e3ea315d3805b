import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS, getterFromObject, isResourceType, toServerSettings } from '../src/settings';

test('defaults map to an empty configuration', () => {
  const r = toServerSettings(getterFromObject({ checks: {}, severity: {}, resourceTypes: { extra: [], removed: [] }, diagnostics: { scope: 'workspace' } }));
  assert.deepEqual(r.settings, { diagnosticsScope: 'workspace' });
  assert.deepEqual(r.problems, []);
});

test('VS Code keys are renamed to the server keys', () => {
  const r = toServerSettings(
    getterFromObject({
      checks: { perrequest: false, leak: true },
      severity: { leak: 'error', closeerr: 'Hint' },
      resourceTypes: { extra: ['*example.com/db.Conn', 'example.com/x.Pool'], removed: ['*os.File'] },
      diagnostics: { scope: 'openFiles' },
      serverPath: '/x',
      trace: { server: 'verbose' },
    }),
  );
  assert.deepEqual(r.settings, {
    checks: { perrequest: false, leak: true },
    severity: { leak: 'error', closeerr: 'hint' },
    extraResourceTypes: ['*example.com/db.Conn', 'example.com/x.Pool'],
    removedResourceTypes: ['*os.File'],
    diagnosticsScope: 'openFiles',
  });
  assert.deepEqual(r.problems, []);
});

test('invalid values are dropped and reported, not sent', () => {
  const r = toServerSettings(
    getterFromObject({
      checks: { leak: 'yes', mystery: true },
      severity: { leak: 'fatal', loopdefer: 'warning' },
      resourceTypes: { extra: ['os.File', 'not a type', 42], removed: 'x' },
      diagnostics: { scope: 'everywhere' },
    }),
  );
  assert.deepEqual(r.settings, {
    checks: { mystery: true },
    severity: { loopdefer: 'warning' },
    extraResourceTypes: ['os.File'],
  });
  assert.equal(r.problems.length, 7, r.problems.join('\n'));
});

test('resource type syntax', () => {
  for (const ok of ['os.File', '*os.File', '*net/http.Response', '*example.com/a/b.T_1']) {
    assert.ok(isResourceType(ok), ok);
  }
  for (const bad of ['File', '*', 'os.', '**os.File', 'os .File', 'os.1T']) {
    assert.ok(!isResourceType(bad), bad);
  }
});

test('package.json contributes every setting and every check', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  for (const key of [
    'lifecycle.checks',
    'lifecycle.severity',
    'lifecycle.resourceTypes.extra',
    'lifecycle.resourceTypes.removed',
    'lifecycle.diagnostics.scope',
    'lifecycle.serverPath',
    'lifecycle.trace.server',
    'lifecycle.generated',
    'lifecycle.releaseMethods',
    'lifecycle.server.maxMessageBytes',
  ]) {
    assert.ok(props[key], key);
    assert.ok(props[key].description || props[key].markdownDescription, `${key} has a description`);
  }
  assert.deepEqual(Object.keys(props['lifecycle.checks'].properties).sort(), [...CHECKS].sort());
  assert.deepEqual(props['lifecycle.severity'].propertyNames.enum.slice().sort(), [...CHECKS].sort());
  assert.deepEqual(props['lifecycle.diagnostics.scope'].enum, ['workspace', 'openFiles']);
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(commands, ['lifecycle.fixAll', 'lifecycle.restartServer', 'lifecycle.showOutput']);
});

test('generated and release methods reach the server; bad values are dropped', () => {
  const { settings, problems } = toServerSettings(
    getterFromObject({
      generated: true,
      releaseMethods: { '*example.com/pool.Conn': ['Release'], 'nodot': ['Close'], '*example.com/x.Y': ['release'] },
    }),
  );
  assert.equal(settings.generated, true);
  assert.deepEqual(settings.releaseMethods, { '*example.com/pool.Conn': ['Release'] });
  assert.equal(problems.length, 2);
  assert.equal(toServerSettings(getterFromObject({ generated: false })).settings.generated, undefined, 'false is the default and leaves the project file in charge');
  const bad = toServerSettings(getterFromObject({ generated: 'yes' }));
  assert.equal(bad.settings.generated, undefined);
  assert.equal(bad.problems.length, 1);
});
