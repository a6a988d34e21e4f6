// Drives nginxls over stdio with vscode-jsonrpc, the JSON-RPC stack inside
// vscode-languageclient, announcing the capabilities VS Code announces and
// answering the server's requests as the extension does. VS Code pulls
// diagnostics (textDocument/diagnostic) and so does this test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as rpc from 'vscode-jsonrpc/node';
import { loadSrc, require, serverBinary, vscodeCapabilities, waitFor } from './helpers.mjs';

const { toServerSettings } = loadSrc('settings');

// The finding sits after non-ASCII text on its line: positions must be
// counted in UTF-16 code units (é and ☕ are one unit, 😀 is two).
const TEXT = [
  '# Ünïcödé: a deliberately weak server',
  'server {',
  '    listen 443 ssl;',
  '    server_name café.example;',
  '    add_header X-Note "naïve ☕ 😀"; ssl_protocols TLSv1 TLSv1.2 TLSv1.3;',
  '    ssl_ecdh_curve X25519:secp192r1;',
  '    ssl_early_data on;',
  '}',
  '',
].join('\n');
const URI = 'file:///srv/nginx/sites-enabled/app.conf';

let proc;
let conn;
let exited;
const pushed = [];
const configRequests = [];
let refreshes = 0;
let userSettings = {};

/** Line and UTF-16 character of the first occurrence of needle. */
function pos(text, needle, from = 0) {
  const off = text.indexOf(needle, from);
  assert.ok(off >= 0, `${needle} in text`);
  const before = text.slice(0, off).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}

function offsetAt(text, p) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < p.line; i++) off += lines[i].length + 1;
  return off + p.character;
}

/** Applies LSP text edits (UTF-16 positions, as JavaScript strings index). */
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
  }
  return text;
}

async function pull(uri) {
  const report = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.items;
}

before(async () => {
  proc = spawn(serverBinary(), ['serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  conn.onNotification('textDocument/publishDiagnostics', (p) => pushed.push(p));
  // The extension's middleware answers section "nginxls" with the mapped settings.
  conn.onRequest('workspace/configuration', (p) => {
    configRequests.push(p);
    return p.items.map((item) => (item.section === 'nginxls' ? toServerSettings((k) => userSettings[k]) : null));
  });
  conn.onRequest('workspace/diagnostic/refresh', () => {
    refreshes++;
    return null;
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
});

after(() => {
  conn?.dispose();
  proc?.kill();
});

test('the JSON-RPC stack is the one vscode-languageclient uses', () => {
  const from = (mod, dir) => require.resolve(mod, dir ? { paths: [dir] } : undefined);
  const client = path.dirname(from('vscode-languageclient/node'));
  const protocol = path.dirname(from('vscode-languageserver-protocol/node', client));
  assert.equal(from('vscode-jsonrpc/node'), from('vscode-jsonrpc/node', protocol));
});

let init;
test('initialize with VS Code capabilities', async () => {
  const capabilities = vscodeCapabilities();
  assert.ok(capabilities.textDocument.diagnostic, 'VS Code announces pull diagnostics');
  init = await conn.sendRequest('initialize', {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
    locale: 'en',
    rootUri: 'file:///srv/nginx',
    capabilities,
    initializationOptions: toServerSettings((k) => ({ nginxVersion: '1.28.0', rules: {} })[k]),
    trace: 'off',
    workspaceFolders: [{ uri: 'file:///srv/nginx', name: 'nginx' }],
  });
  const caps = init.capabilities;
  // vscode-languageclient refuses any other encoding.
  assert.ok(caps.positionEncoding === undefined || caps.positionEncoding === 'utf-16');
  assert.equal(init.serverInfo.name, 'nginxls');
  assert.ok(caps.diagnosticProvider, 'pull diagnostics offered to a pulling client');
  assert.ok(caps.hoverProvider);
  assert.ok(caps.codeActionProvider.codeActionKinds.includes('quickfix'));
  assert.ok(caps.codeActionProvider.codeActionKinds.includes('source.fixAll.nginxls'));
  assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: URI, languageId: 'nginx', version: 1, text: TEXT },
  });
});

let legacy;
test('diagnostics: positions in UTF-16 after non-ASCII text, codes, severities, links', async () => {
  const items = await pull(URI);
  legacy = items.find((d) => d.code === 'tls-protocol-legacy-tls');
  assert.ok(legacy, `tls-protocol-legacy-tls in ${JSON.stringify(items.map((d) => d.code))}`);
  const at = pos(TEXT, 'TLSv1 ');
  assert.deepEqual(legacy.range, { start: at, end: { line: at.line, character: at.character + 5 } });
  const prefix = TEXT.split('\n')[at.line].slice(0, at.character);
  assert.equal(at.character, Buffer.from(prefix, 'utf16le').length / 2, 'UTF-16 code units');
  assert.notEqual(at.character, Buffer.byteLength(prefix), 'the fixture tells bytes from UTF-16 units apart');
  assert.notEqual(at.character, [...prefix].length, 'and code points from UTF-16 units');
  assert.equal(legacy.severity, 2);
  assert.equal(legacy.source, 'nginxls');
  assert.match(legacy.codeDescription.href, /tls-protocol-legacy-tls/);
  const curve = items.find((d) => d.code === 'tls-curve-weak');
  assert.deepEqual(curve?.range.start, pos(TEXT, 'secp192r1'));
  assert.equal(curve.severity, 1);
  assert.ok(items.some((d) => d.code === 'tls-early-data'));
});

test('hover on a finding explains it in markdown', async () => {
  const at = pos(TEXT, 'TLSv1 ');
  const hover = await conn.sendRequest('textDocument/hover', {
    textDocument: { uri: URI },
    position: { line: at.line, character: at.character + 2 },
  });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /`tls-protocol-legacy-tls`/);
  assert.match(hover.contents.value, /RFC 8996/);
  assert.deepEqual(hover.range, legacy.range, 'the hover covers the finding');
});

let text = TEXT;
test('quick fix: a versioned edit that removes the finding once applied', async () => {
  const actions = await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: URI },
    range: legacy.range,
    context: { diagnostics: [legacy], triggerKind: 2 },
  });
  const fix = actions.find((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === legacy.code));
  assert.ok(fix, `a quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(fix.isPreferred, true);
  const [change] = fix.edit.documentChanges;
  assert.deepEqual(change.textDocument, { uri: URI, version: 1 });
  // As VS Code does: apply, then send the change incrementally.
  const next = applyEdits(text, change.edits);
  const edit = change.edits[0];
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: URI, version: 2 },
    contentChanges: change.edits.map((e) => ({
      range: e.range,
      rangeLength: offsetAt(text, e.range.end) - offsetAt(text, e.range.start),
      text: e.newText,
    })),
  });
  text = next;
  assert.match(text.split('\n')[edit.range.start.line], /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  const items = await pull(URI);
  assert.ok(!items.some((d) => d.code === 'tls-protocol-legacy-tls'), 'finding gone after the fix');
  assert.ok(
    items.some((d) => d.code === 'tls-curve-weak'),
    'other findings stay',
  );
});

test('source.fixAll.nginxls fixes what can be fixed', async () => {
  const actions = await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri: URI },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'], triggerKind: 1 },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'source.fixAll.nginxls');
  const [change] = actions[0].edit.documentChanges;
  assert.equal(change.textDocument.version, 2);
});

test('settings changes reach the server: it pulls them and asks for a refresh', async () => {
  const pulls = configRequests.length;
  const refreshed = refreshes;
  userSettings = { rules: { 'tls-curve-weak': 'hint', 'tls-early-data': 'off' } };
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: { nginxls: userSettings } });
  await waitFor('workspace/configuration', () => configRequests.length > pulls);
  assert.deepEqual(configRequests.at(-1).items, [{ section: 'nginxls' }]);
  await waitFor('workspace/diagnostic/refresh', () => refreshes > refreshed);
  const items = await pull(URI);
  assert.equal(items.find((d) => d.code === 'tls-curve-weak')?.severity, 4, 'severity override');
  assert.ok(!items.some((d) => d.code === 'tls-early-data'), 'rule switched off');
});

test('untitled documents are served too', async () => {
  const uri = 'untitled:Untitled-1';
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'nginx', version: 1, text: 'server {\n    ssl_protocols SSLv3 TLSv1.2;\n}\n' },
  });
  const items = await pull(uri);
  assert.ok(items.some((d) => d.code === 'tls-protocol-sslv3'));
});

test('shutdown and exit; nothing was pushed to a pulling client', async () => {
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  assert.equal(await exited, 0);
  assert.deepEqual(pushed, [], 'no publishDiagnostics when the client pulls (VS Code would show them twice)');
});
