// The mapping from VS Code settings (nginxls.*) to the settings the server
// reads (initializationOptions, workspace/configuration section "nginxls").
// Free of the vscode module so that it can be tested under node:test.
import * as path from 'node:path';

/** Reads one setting below the "nginxls" section, e.g. get("nginxVersion"). */
export type SettingReader = (key: string) => unknown;

export interface ServerSettings {
  nginxVersion?: string;
  openssl?: string;
  platform?: string;
  profile?: string;
  rules?: Record<string, string>;
  mainConfig?: string;
  certExpiryDays?: number;
  maxDiagnostics?: number;
  maxFileSize?: string;
}

/** The keys below "nginxls" that are sent to the server. */
export const SERVER_KEYS = ['nginxVersion', 'openssl', 'platform', 'profile', 'rules', 'mainConfig', 'certExpiryDays', 'maxDiagnostics', 'maxFileSize'] as const;

/** The keys below "nginxls" that only the extension reads. */
export const CLIENT_KEYS = ['server.path', 'trace.server'] as const;

/** Changing one of these needs a new server process. */
export const RESTART_KEYS = ['server.path'] as const;

export const SEVERITIES = ['off', 'error', 'warning', 'info', 'hint'] as const;

/**
 * Builds the server's settings. Empty values are left out so the server keeps
 * its own defaults (which follow nginx's stable branch), rather than being
 * pinned to whatever default this extension version happened to ship.
 */
export function toServerSettings(get: SettingReader, folder?: string): ServerSettings {
  const out: ServerSettings = {};
  const main = get('mainConfig');
  if (typeof main === 'string' && main.trim() !== '') {
    out.mainConfig = resolveMainConfig(main.trim(), folder);
  }
  for (const key of ['nginxVersion', 'openssl', 'platform', 'profile', 'maxFileSize'] as const) {
    const v = get(key);
    if (typeof v === 'string' && v.trim() !== '') {
      out[key] = v.trim();
    }
  }
  const expiry = get('certExpiryDays');
  if (typeof expiry === 'number' && Number.isInteger(expiry) && expiry > 0) {
    out.certExpiryDays = expiry;
  }
  // 0 means no limit, so it is sent like any other count; VS Code always
  // has a value here (the manifest's default is the server's).
  const maxDiagnostics = get('maxDiagnostics');
  if (typeof maxDiagnostics === 'number' && Number.isInteger(maxDiagnostics) && maxDiagnostics >= 0) {
    out.maxDiagnostics = maxDiagnostics;
  }
  const rules = get('rules');
  if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
    const r: Record<string, string> = {};
    for (const [id, sev] of Object.entries(rules as Record<string, unknown>)) {
      if (typeof sev === 'string' && sev.trim() !== '') {
        // The server validates ids and values and logs what it rejects.
        r[id] = sev.trim().toLowerCase();
      }
    }
    if (Object.keys(r).length > 0) {
      out.rules = r;
    }
  }
  return out;
}

/**
 * The server takes mainConfig as a path on its own machine and would read a
 * relative one from its working directory: make it absolute here, from the
 * workspace folder, as VS Code users write paths in settings.
 */
export function resolveMainConfig(p: string, folder?: string): string {
  if (folder) {
    p = p.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(p) && !path.win32.isAbsolute(p)) {
      p = path.join(folder, p);
    }
  }
  return p;
}

/** Whether a configuration change under "nginxls" needs a restart. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_KEYS.some((k) => affects(`nginxls.${k}`));
}
