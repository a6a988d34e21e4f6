// Shared by the node:test files: where things are, and small waits.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const require = createRequire(import.meta.url);

/** The nginxls binary under test: $NGINXLS_SERVER, else the repository's bin/nginxls. */
export function serverBinary() {
  const p = process.env.NGINXLS_SERVER || path.join(root, '..', '..', 'bin', 'nginxls');
  if (!fs.existsSync(p)) {
    throw new Error(`no nginxls at ${p}: run "make build" or set NGINXLS_SERVER`);
  }
  return path.resolve(p);
}

/** Whether this build of nginxls has the `ciphers` command. */
export function hasCiphersCommand(bin) {
  try {
    execFileSync(bin, ['help', 'ciphers'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Loads a transpiled vscode-free module (scripts/build.mjs --test). */
export function loadSrc(name) {
  return require(path.join(root, 'out', `${name}.js`));
}

export async function waitFor(what, pred, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The client capabilities VS Code sends: computed by the real
 * vscode-languageclient (the version the extension bundles), loaded against
 * the vscode stub. Only the capability computation runs; nothing starts.
 */
export function vscodeCapabilities() {
  const { createVscodeStub, installVscodeStub } = require('./vscode-stub.cjs');
  const uninstall = installVscodeStub(createVscodeStub());
  try {
    const { LanguageClient } = require('vscode-languageclient/node');
    const c = new LanguageClient(
      'nginxls',
      'nginxls',
      { command: 'nginxls' },
      { documentSelector: [{ language: 'nginx' }] },
    );
    return c.computeClientCapabilities();
  } finally {
    uninstall();
  }
}
