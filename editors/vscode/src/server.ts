// Where the nginxls executable comes from. Kept free of the vscode module so
// that node:test can exercise it without an editor.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

export interface ResolveOptions {
  /** nginxls.server.path; empty or blank means "not set". */
  configuredPath?: string;
  /** The extension's install directory; per-platform packages carry bin/nginxls there. */
  extensionPath: string;
  platform?: NodeJS.Platform;
  homedir?: string;
  /** Injected for tests; defaults to a real file check. */
  isFile?: (p: string) => boolean;
}

export function executableName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'nginxls.exe' : 'nginxls';
}

export function bundledPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  return paths.join(extensionPath, 'bin', executableName(platform));
}

/**
 * The server to start: the setting when given (a user who sets it wants
 * exactly that binary, so it is not checked here: a wrong path should fail
 * loudly at start), then the binary bundled for this platform, then
 * `nginxls` on PATH (the universal package carries no binary).
 */
export function resolveServer(opts: ResolveOptions): ResolvedServer {
  const platform = opts.platform ?? process.platform;
  const isFile = opts.isFile ?? defaultIsFile;
  const configured = opts.configuredPath?.trim();
  if (configured) {
    return { command: expandHome(configured, opts.homedir ?? os.homedir(), platform), source: 'setting' };
  }
  const bundled = bundledPath(opts.extensionPath, platform);
  if (isFile(bundled)) {
    return { command: bundled, source: 'bundled' };
  }
  return { command: executableName(platform), source: 'path' };
}

function expandHome(p: string, home: string, platform: NodeJS.Platform): string {
  if (p === '~') {
    return home;
  }
  if (p.startsWith('~/') || (platform === 'win32' && p.startsWith('~\\'))) {
    const paths = platform === 'win32' ? path.win32 : path.posix;
    return paths.join(home, p.slice(2));
  }
  return p;
}

function defaultIsFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Restores the executable bit of the bundled binary: VSIX files keep it,
 * but some installers (and copies made by hand) lose it.
 */
export function ensureExecutable(p: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') {
    return;
  }
  try {
    const mode = fs.statSync(p).mode;
    if ((mode & 0o111) !== 0o111) {
      fs.chmodSync(p, mode | 0o755);
    }
  } catch {
    // Starting the server reports the real problem.
  }
}

/**
 * Whether the resolved server exists: a path is checked as is, a bare name
 * along PATH (with PATHEXT on Windows). Checked before starting so that a
 * missing binary gives one clear message rather than the client's own.
 */
export function serverExists(
  server: ResolvedServer,
  opts: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; isFile?: (p: string) => boolean } = {},
): boolean {
  const platform = opts.platform ?? process.platform;
  const isFile = opts.isFile ?? defaultIsFile;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (server.source !== 'path') {
    return isFile(server.command);
  }
  const env = opts.env ?? process.env;
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE').split(';')] : [''];
  return dirs.some((d) => exts.some((e) => isFile(paths.join(d, server.command + e))));
}
