// End-to-end test of the extension in a real VS Code (code-server) driven
// through headless Chromium. Run by run.sh, which sets up everything; see
// there for the environment variables.
'use strict';
const fs = require('fs');
const path = require('path');

const { chromium } = require(path.join(process.env.PW_DIR, 'node_modules', 'playwright-core'));

const url = process.env.CS_URL;
const work = process.env.E2E_RUN; // this run's directory
const shots = process.env.E2E_SHOTS; // where screenshots go
const target = process.env.TARGET_FILE; // absolute path of the file under test (in the temp workspace)
const expect = JSON.parse(fs.readFileSync(process.env.EXPECT_JSON, 'utf8'));
// expect: {message, fixTitle, line, column, fixedText}

let passed = 0;
let failed = 0;
const t0 = Date.now();
const log = (m) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

// The Problems panel is a virtual list: rows scrolled out of view are not in
// the DOM. Filter it so the rows a step looks for are visible.
async function filterProblems(page, text) {
  const input = page.locator('.part.panel input[placeholder^="Filter"]:visible').first();
  await input.waitFor({ timeout: 20000 });
  await input.fill(text);
  if ((await input.inputValue()) !== text) {
    throw new Error(`Problems filter holds ${JSON.stringify(await input.inputValue())}, not ${JSON.stringify(text)}`);
  }
  await page.waitForTimeout(500);
}

// Waits for a row of the Problems panel, filtering the panel by filterText
// again now and then (the panel can reset its filter while it is created).
async function waitForProblem(page, locator, filterText, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await filterProblems(page, filterText);
    try {
      await locator.first().waitFor({ timeout: Math.min(10000, Math.max(1000, deadline - Date.now())) });
      return;
    } catch (err) {
      if (Date.now() >= deadline) {
        throw err;
      }
    }
  }
}

async function step(name, fn) {
  log(`step: ${name}`);
  await fn();
  passed++;
  log(`ok: ${name}`);
}

async function main() {
  const ctx = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const base = path.basename(target);
  const marker = page.locator('.markers-panel .monaco-list-row', { hasText: expect.message });
  try {
    await step('workbench loads', async () => {
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    });

    await step(`open ${base} with Quick Open`, async () => {
      await page.locator('.explorer-folders-view .monaco-list-row').first().click();
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 20000 });
      await page.keyboard.type(path.relative(process.env.WORKSPACE, target));
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: base }).waitFor({ timeout: 20000 });
      await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: 20000 });
    });

    await step('status bar shows the server', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'lifecycle' });
      await item.first().waitFor({ timeout: 60000 });
      log(`status bar: ${JSON.stringify(await item.first().innerText())}`);
    });

    await step('diagnostic appears in the Problems panel', async () => {
      await page.locator('.editor-instance .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+Shift+M');
      await waitForProblem(page, marker, expect.message.slice(0, 60), 90000);
      const text = await marker.first().innerText();
      log(`marker: ${JSON.stringify(text.replace(/\s+/g, ' '))}`);
      if (!/lifecycle/.test(text) || !/leak/.test(text)) {
        throw new Error(`marker does not name source "lifecycle" and code "leak": ${text}`);
      }
      const status = await page.locator('.statusbar-item', { hasText: 'lifecycle' }).first().innerText();
      if (/failed|not installed/.test(status)) {
        throw new Error(`status bar says ${status}`);
      }
      await page.screenshot({ path: path.join(shots, 'problems.png') });
    });

    await step(`quick fix "${expect.fixTitle}" through Ctrl+.`, async () => {
      // Focus the editor and put the cursor on the diagnostic.
      await page.locator('.editor-instance .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 20000 });
      await page.keyboard.type(`${expect.line}:${expect.column}`);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: expect.fixTitle });
      await fix.first().waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(shots, 'quickfix-menu.png') });
      await fix.first().click();
    });

    await step('the diagnostic goes away', async () => {
      await marker.first().waitFor({ state: 'detached', timeout: 60000 });
    });

    await step('saved file equals the expected text', async () => {
      await page.locator('.editor-instance .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+S');
      const deadline = Date.now() + 20000;
      let got = '';
      while (Date.now() < deadline) {
        got = fs.readFileSync(target, 'utf8');
        if (got === expect.fixedText) {
          break;
        }
        await page.waitForTimeout(250);
      }
      if (got !== expect.fixedText) {
        fs.writeFileSync(path.join(shots, 'got.go'), got);
        fs.writeFileSync(path.join(shots, 'want.go'), expect.fixedText);
        throw new Error(`file differs from the expected text; see ${shots}/got.go and want.go`);
      }
    });

    await step('command "Fix All Lifecycle Problems in File" clears the file', async () => {
      const fileRows = page.locator('.markers-panel .monaco-list-row', { hasText: base });
      await waitForProblem(page, fileRows, base, 30000);
      await page.locator('.editor-instance .monaco-editor .view-lines').click();
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 20000 });
      await page.keyboard.type('lifecycle-lsp: Fix All Lifecycle Problems in File');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Fix All Lifecycle Problems' }).first().waitFor({ timeout: 20000 });
      await page.keyboard.press('Enter');
      await fileRows.first().waitFor({ state: 'detached', timeout: 60000 });
      await page.locator('.editor-instance .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+S');
      await page.waitForTimeout(1000);
    });

    await step('turning a check off in the settings takes effect without a restart', async () => {
      const closeerr = page.locator('.markers-panel .monaco-list-row', { hasText: 'closeerr' });
      await waitForProblem(page, closeerr, 'closeerr', 30000);
      // Workspace settings: code-server watches the workspace folder (it
      // does not notice the user settings file being written from outside).
      fs.mkdirSync(path.join(process.env.WORKSPACE, '.vscode'), { recursive: true });
      fs.writeFileSync(
        path.join(process.env.WORKSPACE, '.vscode', 'settings.json'),
        JSON.stringify({ 'lifecycle.checks': { closeerr: false }, 'lifecycle.severity': { perrequest: 'error' } }, null, 2),
      );
      await closeerr.first().waitFor({ state: 'detached', timeout: 60000 });
      // perrequest findings are now errors.
      const perrequestError = page.locator('.markers-panel .monaco-list-row', { hasText: 'perrequest' }).filter({ has: page.locator('.codicon-error') });
      await waitForProblem(page, perrequestError, 'perrequest', 30000);
    });

    const ok = path.join(shots, 'success.png');
    await page.screenshot({ path: ok });
    log(`success screenshot: ${ok}`);
  } catch (err) {
    failed++;
    const shot = path.join(shots, 'failure.png');
    await page.screenshot({ path: shot }).catch(() => undefined);
    fs.writeFileSync(path.join(shots, 'browser-console.log'), consoleLines.join('\n'));
    console.error(`E2E FAILED: ${err && err.stack ? err.stack : err}`);
    console.error(`failure screenshot: ${shot}`);
    console.error(`browser console: ${path.join(shots, 'browser-console.log')}`);
  } finally {
    await ctx.close().catch(() => undefined);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
});
