import * as fs from 'fs';
import * as os from 'os';
import * as readline from 'readline';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State as ClientState,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';
import { bundledServerPath, CLONE_INSTALL_COMMAND, discoverServer, FolderModule, Found, Host, installPlan, notFoundMessage, README_URL } from './discovery';
import { RESTART_KEYS, SECTION, toServerSettings } from './settings';
import { StatusModel } from './status';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('lifecycle');

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let statusItem: vscode.StatusBarItem;
const status = new StatusModel();
let stderrTail: string[] = [];
let intentionalStop = false;
let starting: Promise<void> | undefined;

function nodeHost(): Host {
  return {
    env: process.env,
    platform: process.platform,
    home: os.homedir(),
    isExecutable(p: string): boolean {
      try {
        const st = fs.statSync(p);
        if (!st.isFile()) {
          return false;
        }
        if (process.platform === 'win32') {
          return true;
        }
        fs.accessSync(p, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function render(): void {
  const v = status.view();
  statusItem.text = v.text;
  statusItem.tooltip = v.tooltip;
  statusItem.backgroundColor =
    v.level === 'error'
      ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : v.level === 'warning'
        ? new vscode.ThemeColor('statusBarItem.warningBackground')
        : undefined;
  statusItem.show();
}

/** The "lifecycle" section as the server expects it, for one resource scope. */
function serverSettingsFor(scope: vscode.Uri | undefined): unknown {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const { settings, problems } = toServerSettings((key) => cfg.get(key));
  for (const p of problems) {
    output.warn(`settings: ${p}`);
  }
  return settings;
}

/** The workspace folders with their go.mod text, for installPlan. */
function workspaceModules(): FolderModule[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => {
    let goMod: string | undefined;
    try {
      goMod = fs.readFileSync(`${f.uri.fsPath}/go.mod`, 'utf8');
    } catch {
      goMod = undefined;
    }
    return { path: f.uri.fsPath, goMod };
  });
}

async function offerInstall(message: string): Promise<void> {
  const install = 'Install';
  const readme = 'Open README';
  const settings = 'Set Server Path';
  const choice = await vscode.window.showWarningMessage(message, install, readme, settings);
  if (choice === install) {
    const plan = installPlan(workspaceModules());
    const term = vscode.window.createTerminal({ name: 'lifecycle-lsp install', shellPath: 'go', shellArgs: plan.args, cwd: plan.cwd });
    term.show();
    const sub = vscode.window.onDidCloseTerminal((t) => {
      if (t !== term) {
        return;
      }
      sub.dispose();
      if (t.exitStatus?.code === 0) {
        void vscode.window.showInformationMessage('lifecycle-lsp installed; starting it.');
        void restart();
      } else {
        void vscode.window.showErrorMessage(
          `"${plan.display}" failed (exit code ${t.exitStatus?.code ?? 'unknown'}). Is Go installed and on PATH? ` +
            `Until the module is published, install from a clone: ${CLONE_INSTALL_COMMAND}, then restart the server.`,
        );
      }
    });
  } else if (choice === readme) {
    await vscode.env.openExternal(vscode.Uri.parse(README_URL));
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.serverPath`);
  }
}

/**
 * The channel for LSP message traces. vscode-languageclient traces only when
 * its trace channel's log level is Trace, and then never turns tracing off;
 * this channel reports Trace exactly when lifecycle.trace.server is not
 * "off", so that setting alone switches tracing on and off.
 */
function makeTraceChannel(): vscode.LogOutputChannel {
  const ch = vscode.window.createOutputChannel('lifecycle-lsp (trace)');
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  const level = (): vscode.LogLevel =>
    vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off') === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  let current = level();
  const sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`${SECTION}.trace.server`)) {
      current = level();
      changed.fire(current);
    }
  });
  const line = (m: string | Error) => ch.appendLine(typeof m === 'string' ? m : m.message);
  return {
    name: ch.name,
    get logLevel() {
      return current;
    },
    onDidChangeLogLevel: changed.event,
    trace: line,
    debug: line,
    info: line,
    warn: line,
    error: line,
    append: (v) => ch.append(v),
    appendLine: (v) => ch.appendLine(v),
    replace: (v) => ch.replace(v),
    clear: () => ch.clear(),
    show: (a?: unknown) => ch.show(typeof a === "boolean" ? a : true),
    hide: () => ch.hide(),
    dispose: () => {
      sub.dispose();
      changed.dispose();
      ch.dispose();
    },
  } as vscode.LogOutputChannel;
}

let traceChannel: vscode.LogOutputChannel;

/** The server's command-line arguments: --stdio, and --max-message-bytes when set. */
function serverArgs(): string[] {
  const args = ['--stdio'];
  const max = vscode.workspace.getConfiguration(SECTION).get<number>('server.maxMessageBytes');
  if (typeof max === 'number' && Number.isInteger(max) && max > 0) {
    args.push(`--max-message-bytes=${max}`);
  }
  return args;
}

function makeClient(server: Found): LanguageClient {
  const serverOptions: ServerOptions = {
    command: server.path,
    args: serverArgs(),
    transport: TransportKind.stdio,
  };
  let defaultHandler: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) => {
      output.error(`connection error: ${error.message}`);
      return defaultHandler!.error(error, message, count);
    },
    closed: async () => {
      const r = await defaultHandler!.closed();
      if (!intentionalStop && r.action === CloseAction.DoNotRestart) {
        const tail = stderrTail.slice(-3).join(' | ');
        status.setState({ kind: 'failed', reason: `the server exited repeatedly${tail ? `: ${tail}` : ''}` });
        render();
      }
      return r;
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    outputChannel: output,
    traceOutputChannel: traceChannel,
    synchronize: { configurationSection: SECTION },
    errorHandler,
    stdioOptions: {
      stdout: (input, channel) => {
        readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (l) => channel.info(l));
      },
      stderr: (input, channel) => {
        readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (l) => {
          stderrTail.push(l);
          if (stderrTail.length > 20) {
            stderrTail.shift();
          }
          channel.info(l);
        });
      },
    },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const wanted = params.items.map((item) => item.section === SECTION);
          if (!wanted.some(Boolean)) {
            return next(params, token);
          }
          const others = params.items.filter((_item, i) => !wanted[i]);
          const rest = others.length > 0 ? await next({ items: others }, token) : [];
          if (rest instanceof Error || !Array.isArray(rest)) {
            return rest;
          }
          let j = 0;
          return params.items.map((item, i) =>
            wanted[i] ? serverSettingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : rest[j++],
          );
        },
      },
    },
  };
  const c = new LanguageClient('lifecycle', 'lifecycle-lsp', serverOptions, clientOptions);
  defaultHandler = c.createDefaultErrorHandler(4);
  c.onDidChangeState((e) => {
    switch (e.newState) {
      case ClientState.Starting:
        status.setState({ kind: 'starting' });
        break;
      case ClientState.Running:
        status.setState({ kind: 'running' });
        break;
      case ClientState.Stopped:
        if (intentionalStop) {
          status.setState({ kind: 'stopped' });
        } else if (status.view().level !== 'error') {
          const tail = stderrTail.slice(-3).join(' | ');
          status.setState({ kind: 'failed', reason: `the server stopped${tail ? `: ${tail}` : ''}` });
        }
        break;
    }
    render();
  });
  return c;
}

/** Replaces the client's window/workDoneProgress handler so the status bar shows the progress. */
function trackProgress(c: LanguageClient): vscode.Disposable {
  const subs = new Map<string, vscode.Disposable>();
  const reg = c.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
    const key = String(params.token);
    subs.get(key)?.dispose();
    const d = c.onProgress(WorkDoneProgress.type, params.token, (value) => {
      status.onProgress(params.token, value);
      if (value.kind === 'end') {
        subs.get(key)?.dispose();
        subs.delete(key);
      }
      render();
    });
    subs.set(key, d);
  });
  return new vscode.Disposable(() => {
    reg.dispose();
    for (const d of subs.values()) {
      d.dispose();
    }
    subs.clear();
  });
}

let progressReg: vscode.Disposable | undefined;

async function start(fromCommand: boolean): Promise<void> {
  status.setState({ kind: 'starting' });
  render();
  const bundled = extensionDir ? bundledServerPath(extensionDir, process.platform) : undefined;
  if (bundled && process.platform !== 'win32') {
    // An unpacker that dropped the executable bit would hide the bundled server.
    try {
      const st = fs.statSync(bundled);
      if (st.isFile() && (st.mode & 0o111) === 0) {
        fs.chmodSync(bundled, 0o755);
      }
    } catch {
      // no bundled server: a universal .vsix
    }
  }
  const found = discoverServer(vscode.workspace.getConfiguration(SECTION).get<string>('serverPath'), nodeHost(), bundled);
  if (found.kind === 'notFound') {
    const msg = notFoundMessage(found);
    output.warn(`${msg}\nLooked at:\n  ${found.tried.join('\n  ')}`);
    status.setState({ kind: 'notFound', reason: msg });
    status.setServer(undefined, undefined);
    render();
    void offerInstall(msg);
    return;
  }
  output.info(`starting ${found.path} (found via ${found.source})`);
  stderrTail = [];
  intentionalStop = false;
  const c = makeClient(found);
  client = c;
  status.setServer(found.path, undefined);
  try {
    await c.start();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    status.setState({ kind: 'failed', reason });
    render();
    output.error(`start failed: ${reason}`);
    if (fromCommand) {
      void vscode.window.showErrorMessage(`lifecycle-lsp failed to start: ${reason}`, 'Show Output').then((v) => {
        if (v) {
          output.show();
        }
      });
    }
    return;
  }
  progressReg?.dispose();
  progressReg = trackProgress(c);
  status.setServer(found.path, c.initializeResult?.serverInfo?.version);
  render();
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  progressReg?.dispose();
  progressReg = undefined;
  if (!c) {
    return;
  }
  intentionalStop = true;
  try {
    if (c.isRunning()) {
      await c.stop(5000);
    }
  } catch (err) {
    output.warn(`stopping the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  await c.dispose().catch(() => undefined);
}

async function restart(): Promise<void> {
  if (starting) {
    await starting;
  }
  starting = (async () => {
    await stop();
    await start(true);
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'go') {
    void vscode.window.showInformationMessage('Open a Go file to fix its lifecycle problems.');
    return;
  }
  const doc = editor.document;
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      whole,
      FIX_ALL_KIND.value,
    )) ?? [];
  const mine = actions.filter((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
  if (mine.length === 0) {
    void vscode.window.showInformationMessage('lifecycle-lsp: nothing to fix in this file.');
    return;
  }
  for (const a of mine) {
    if (a.edit) {
      await vscode.workspace.applyEdit(a.edit);
    }
    if (a.command) {
      await vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
    }
  }
}

/** The extension's directory: a platform-specific .vsix carries the server in its bin/. */
let extensionDir: string | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionDir = context.extensionPath;
  output = vscode.window.createOutputChannel('lifecycle-lsp', { log: true });
  traceChannel = makeTraceChannel();
  statusItem = vscode.window.createStatusBarItem('lifecycle.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'lifecycle-lsp';
  statusItem.command = 'lifecycle.showOutput';
  context.subscriptions.push(
    output,
    traceChannel,
    statusItem,
    vscode.commands.registerCommand('lifecycle.restartServer', restart),
    vscode.commands.registerCommand('lifecycle.fixAll', fixAll),
    vscode.commands.registerCommand('lifecycle.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(k))) {
        output.info('the server path or its flags changed: restarting the server');
        void restart();
      }
    }),
    { dispose: () => void stop() },
  );
  render();
  await start(false);
}

export async function deactivate(): Promise<void> {
  await stop();
}

// For tests and other extensions.
export const _internal = { ErrorAction };
