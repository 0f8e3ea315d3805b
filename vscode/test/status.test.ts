import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { StatusModel } from '../src/status';

test('starting, then ready', () => {
  const m = new StatusModel();
  assert.match(m.view().text, /starting/);
  m.setState({ kind: 'running' });
  m.setServer('/bin/lifecycle-lsp', 'v0.1.0');
  const v = m.view();
  assert.equal(v.text, '$(check) lifecycle');
  assert.match(v.tooltip, /ready/);
  assert.match(v.tooltip, /\/bin\/lifecycle-lsp \(v0\.1\.0\)/);
});

test('progress from window/workDoneProgress', () => {
  const m = new StatusModel();
  m.setState({ kind: 'running' });
  m.onProgress('lifecycle-1', { kind: 'begin', title: 'Analysing', message: 'loading', percentage: 0 });
  assert.equal(m.view().text, '$(sync~spin) lifecycle: analysing 0%');
  m.onProgress('lifecycle-1', { kind: 'report', message: '3/10 packages', percentage: 30 });
  assert.equal(m.view().text, '$(sync~spin) lifecycle: analysing 30%');
  assert.match(m.view().tooltip, /Analysing: 3\/10 packages/);
  m.onProgress('other', { kind: 'report', percentage: 99 });
  assert.ok(m.busy);
  m.onProgress('lifecycle-1', { kind: 'end', message: 'done' });
  assert.ok(!m.busy);
  assert.equal(m.view().text, '$(check) lifecycle');
});

test('failed shows the reason on hover', () => {
  const m = new StatusModel();
  m.setState({ kind: 'running' });
  m.onProgress(1, { kind: 'begin', title: 'Analysing' });
  m.setState({ kind: 'failed', reason: 'exec format error' });
  const v = m.view();
  assert.equal(v.level, 'error');
  assert.match(v.text, /failed/);
  assert.match(v.tooltip, /exec format error/);
  assert.ok(!m.busy);
});

test('not installed', () => {
  const m = new StatusModel();
  m.setState({ kind: 'notFound', reason: 'Install it with: go install x' });
  assert.match(m.view().text, /not installed/);
  assert.equal(m.view().tooltip, 'Install it with: go install x');
});
