// Mapping VS Code's "lifecycle" settings to the server's configuration
// (the "lifecycle" section of workspace/configuration). Pure.

export const SECTION = 'lifecycle';

export const CHECKS = [
  'leak',
  'overwrite',
  'loopdefer',
  'deferbeforecheck',
  'doubleclose',
  'idempotentclose',
  'crossgoroutine',
  'finalizer',
  'perrequest',
  'closeerr',
] as const;

export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export const SCOPES = ['workspace', 'openFiles'] as const;

/** What the server reads (server/settings.Settings). */
export interface ServerSettings {
  checks?: Record<string, boolean>;
  severity?: Record<string, string>;
  extraResourceTypes?: string[];
  removedResourceTypes?: string[];
  diagnosticsScope?: string;
  generated?: boolean;
  releaseMethods?: Record<string, string[]>;
}

/** Reads one key of the "lifecycle" section, like WorkspaceConfiguration.get. */
export type Getter = (key: string) => unknown;

export interface Mapped {
  settings: ServerSettings;
  /** Values that were dropped, with the reason; shown in the output channel. */
  problems: string[];
}

const RESOURCE_TYPE = /^\*?[^\s*]+\.[A-Za-z_][A-Za-z0-9_]*$/;

export function isResourceType(s: string): boolean {
  return RESOURCE_TYPE.test(s);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(key: string, v: unknown, problems: string[]): string[] | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (!Array.isArray(v)) {
    problems.push(`${SECTION}.${key} must be an array of strings`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of v) {
    if (typeof item !== 'string' || !isResourceType(item.trim())) {
      problems.push(`${SECTION}.${key}: ${JSON.stringify(item)} is not "pkg/path.Type" or "*pkg/path.Type"`);
      continue;
    }
    if (!out.includes(item.trim())) {
      out.push(item.trim());
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Builds the server's configuration from the VS Code settings. Invalid
 * values are left out (and reported) rather than sent, because the server
 * rejects a whole configuration that has one bad value.
 */
export function toServerSettings(get: Getter): Mapped {
  const problems: string[] = [];
  const settings: ServerSettings = {};

  const checks = get('checks');
  if (isObject(checks)) {
    const out: Record<string, boolean> = {};
    for (const [name, on] of Object.entries(checks)) {
      if (typeof on !== 'boolean') {
        problems.push(`${SECTION}.checks.${name} must be true or false`);
        continue;
      }
      if (!(CHECKS as readonly string[]).includes(name)) {
        problems.push(`${SECTION}.checks: unknown check "${name}" (passed on to the server)`);
      }
      out[name] = on;
    }
    if (Object.keys(out).length > 0) {
      settings.checks = out;
    }
  } else if (checks !== undefined && checks !== null) {
    problems.push(`${SECTION}.checks must be an object of check name to true/false`);
  }

  const severity = get('severity');
  if (isObject(severity)) {
    const out: Record<string, string> = {};
    for (const [name, sev] of Object.entries(severity)) {
      const s = typeof sev === 'string' ? sev.toLowerCase() : sev;
      if (typeof s !== 'string' || !(SEVERITIES as readonly string[]).includes(s)) {
        problems.push(`${SECTION}.severity.${name}: ${JSON.stringify(sev)} is not error, warning, information or hint`);
        continue;
      }
      out[name] = s;
    }
    if (Object.keys(out).length > 0) {
      settings.severity = out;
    }
  } else if (severity !== undefined && severity !== null) {
    problems.push(`${SECTION}.severity must be an object of check name to severity`);
  }

  const extra = stringList('resourceTypes.extra', get('resourceTypes.extra'), problems);
  if (extra) {
    settings.extraResourceTypes = extra;
  }
  const removed = stringList('resourceTypes.removed', get('resourceTypes.removed'), problems);
  if (removed) {
    settings.removedResourceTypes = removed;
  }

  // Only true is sent: false is also the default, and sending it would
  // override a project .lifecycle.yaml that turns generated files on.
  const generated = get('generated');
  if (generated === true) {
    settings.generated = true;
  } else if (generated === false) {
    // the default
  } else if (generated !== undefined && generated !== null) {
    problems.push(`${SECTION}.generated must be true or false`);
  }

  const release = get('releaseMethods');
  if (isObject(release)) {
    const out: Record<string, string[]> = {};
    for (const [type, methods] of Object.entries(release)) {
      if (!isResourceType(type)) {
        problems.push(`${SECTION}.releaseMethods: ${JSON.stringify(type)} is not "pkg/path.Type" or "*pkg/path.Type"`);
        continue;
      }
      if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === 'string' && /^[A-Z][A-Za-z0-9_]*$/.test(m))) {
        problems.push(`${SECTION}.releaseMethods.${type} must be a non-empty array of exported method names`);
        continue;
      }
      out[type] = methods as string[];
    }
    if (Object.keys(out).length > 0) {
      settings.releaseMethods = out;
    }
  } else if (release !== undefined && release !== null) {
    problems.push(`${SECTION}.releaseMethods must be an object of type to method names`);
  }

  const scope = get('diagnostics.scope');
  if (typeof scope === 'string' && (SCOPES as readonly string[]).includes(scope)) {
    settings.diagnosticsScope = scope;
  } else if (scope !== undefined && scope !== null && scope !== '') {
    problems.push(`${SECTION}.diagnostics.scope: ${JSON.stringify(scope)} is not "workspace" or "openFiles"`);
  }

  return { settings, problems };
}

/** Makes a Getter from a nested plain object such as {checks: {...}, resourceTypes: {extra: [...]}}. */
export function getterFromObject(obj: Record<string, unknown>): Getter {
  return (key: string) => {
    let cur: unknown = obj;
    for (const part of key.split('.')) {
      if (!isObject(cur)) {
        return undefined;
      }
      cur = cur[part];
    }
    return cur;
  };
}

/** Settings whose change needs a new server process (not just a new configuration). */
export const RESTART_KEYS = [`${SECTION}.serverPath`, `${SECTION}.server.maxMessageBytes`];
