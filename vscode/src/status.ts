// The status bar item's model: what it says for each state of the server.
// Pure, so it can be tested without VS Code.

export type State =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'stopped' }
  | { kind: 'failed'; reason: string }
  | { kind: 'notFound'; reason: string };

export interface Progress {
  title: string;
  message?: string;
  percentage?: number;
}

export interface View {
  text: string;
  tooltip: string;
  /** 'error' and 'warning' map to the status bar's background colours. */
  level: 'normal' | 'warning' | 'error';
}

export class StatusModel {
  private state: State = { kind: 'starting' };
  private readonly progress = new Map<string, Progress>();
  private serverVersion: string | undefined;
  private serverPath: string | undefined;

  setState(s: State): void {
    this.state = s;
    if (s.kind !== 'running') {
      this.progress.clear();
    }
  }

  setServer(path: string | undefined, version: string | undefined): void {
    this.serverPath = path;
    this.serverVersion = version;
  }

  /** Handles one $/progress value of a window/workDoneProgress token. */
  onProgress(token: string | number, value: { kind: string; title?: string; message?: string; percentage?: number }): void {
    const key = String(token);
    switch (value.kind) {
      case 'begin':
        this.progress.set(key, { title: value.title ?? 'Analysing', message: value.message, percentage: value.percentage });
        break;
      case 'report': {
        const p = this.progress.get(key);
        if (p) {
          if (value.message !== undefined) {
            p.message = value.message;
          }
          if (value.percentage !== undefined) {
            p.percentage = value.percentage;
          }
        }
        break;
      }
      case 'end':
        this.progress.delete(key);
        break;
    }
  }

  get busy(): boolean {
    return this.progress.size > 0;
  }

  view(): View {
    const who = this.serverPath ? `\n\nServer: ${this.serverPath}${this.serverVersion ? ` (${this.serverVersion})` : ''}` : '';
    switch (this.state.kind) {
      case 'starting':
        return { text: '$(sync~spin) lifecycle: starting', tooltip: `lifecycle-lsp is starting${who}`, level: 'normal' };
      case 'stopped':
        return { text: '$(circle-slash) lifecycle: stopped', tooltip: `lifecycle-lsp is stopped. Run "lifecycle-lsp: Restart Server" to start it.${who}`, level: 'warning' };
      case 'failed':
        return { text: '$(error) lifecycle: failed', tooltip: `lifecycle-lsp failed: ${this.state.reason}${who}\n\nClick to show the server output.`, level: 'error' };
      case 'notFound':
        return { text: '$(error) lifecycle: not installed', tooltip: this.state.reason, level: 'error' };
      case 'running': {
        if (this.progress.size === 0) {
          return { text: '$(check) lifecycle', tooltip: `lifecycle-lsp is ready${who}`, level: 'normal' };
        }
        // Show the most recent piece of work.
        const p = [...this.progress.values()][this.progress.size - 1];
        const pct = p.percentage !== undefined ? ` ${Math.round(p.percentage)}%` : '';
        const detail = p.message ? `${p.title}: ${p.message}` : p.title;
        return { text: `$(sync~spin) lifecycle: analysing${pct}`, tooltip: `lifecycle-lsp: ${detail}${who}`, level: 'normal' };
      }
    }
  }
}
