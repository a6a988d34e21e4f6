// Runs the real extension bundle (dist/extension.js) and the real
// vscode-languageclient inside it against the real nginxls, with the vscode
// module replaced by test/vscode-stub.cjs: activation, the bundled binary,
// settings reaching the running server, the commands and the status item.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { hasCiphersCommand, packageJson, require, root, serverBinary, waitFor } from './helpers.mjs';

const { createVscodeStub, installVscodeStub } = require('./vscode-stub.cjs');

const State = { Stopped: 1, Running: 2, Starting: 3 };
let stub;
let uninstall;
let ext;
let ctx;
let extDir;

before(async () => {
  // An install directory laid out like a per-platform package: bin/nginxls.
  extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginxls-ext-'));
  fs.mkdirSync(path.join(extDir, 'bin'));
  fs.symlinkSync(serverBinary(), path.join(extDir, 'bin', process.platform === 'win32' ? 'nginxls.exe' : 'nginxls'));
  stub = createVscodeStub({
    'nginxls.nginxVersion': '1.24.0',
    'nginxls.openssl': '',
    'nginxls.rules': {},
    'nginxls.server.path': '',
    'nginxls.trace.server': 'verbose',
  });
  uninstall = installVscodeStub(stub);
  ext = require(path.join(root, 'dist', 'extension.js'));
  ctx = { extensionPath: extDir, subscriptions: [] };
  await ext.activate(ctx);
});

after(async () => {
  await ext?.deactivate();
  for (const d of ctx?.subscriptions ?? []) d.dispose?.();
  uninstall?.();
  fs.rmSync(extDir, { recursive: true, force: true });
});

const client = () => ext.currentClient();
const trace = () => stub.outputLines.join('\n');

test('activation starts the bundled binary with `serve` and reaches Running', () => {
  const c = client();
  assert.ok(c, 'a client exists');
  assert.equal(c.state, State.Running, `state; output:\n${trace()}`);
  assert.equal(c.initializeResult.serverInfo.name, 'nginxls');
  const proc = c.serverProcess;
  assert.equal(proc.spawnfile, path.join(extDir, 'bin', 'nginxls'));
  assert.deepEqual(proc.spawnargs.slice(1), ['serve'], 'no --stdio or other extra argument');
});

test('initializationOptions carry the mapped settings', () => {
  // The client traces the initialize request verbosely into the output.
  assert.match(trace(), /"initializationOptions":\s*\{\s*"nginxVersion":\s*"1\.24\.0"\s*\}/);
});

test('every contributed command is registered, and only those', () => {
  const contributed = packageJson.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual([...stub.commands.keys()].sort(), contributed);
});

test('the status item shows the running server and opens the output', () => {
  const [item] = stub.statusItems;
  assert.match(item.text, /nginxls/);
  assert.doesNotMatch(item.text, /error|sync/);
  assert.equal(item.command, 'nginxls.showOutput');
  assert.equal(item.visible, false, 'hidden while no nginx editor is active');
  stub.setActiveEditor(stub.editor('nginx'));
  assert.equal(item.visible, true);
  stub.setActiveEditor(undefined);
  assert.equal(item.visible, false);
});

test('a settings change reaches the running server without a restart', async () => {
  const pid = client().serverProcess.pid;
  const before = stub.outputLines.length;
  stub.changeSettings({ 'nginxls.rules': { 'tls-early-data': 'off' }, 'nginxls.openssl': '1.1.1' });
  // The server answers the notification by pulling its section; the
  // middleware answers with the mapped settings.
  await waitFor('workspace/configuration answered with the new rules', () => {
    const out = stub.outputLines.slice(before).join('\n');
    return (
      /Sending response 'workspace\/configuration[\s\S]*"tls-early-data":\s*"off"/.test(out) &&
      /"openssl":\s*"1\.1\.1"/.test(out)
    );
  });
  const out = stub.outputLines.slice(before).join('\n');
  assert.match(out, /Sending notification 'workspace\/didChangeConfiguration'/);
  assert.doesNotMatch(out, /"server"|"trace"/, 'client-only keys are not sent to the server');
  assert.equal(client().serverProcess.pid, pid, 'same server process');
});

test('changing nginxls.server.path restarts the server with that binary', async () => {
  const pid = client().serverProcess.pid;
  stub.changeSettings({ 'nginxls.server.path': serverBinary() });
  await waitFor('a new running client', () => client()?.state === State.Running && client().serverProcess.pid !== pid);
  assert.equal(client().serverProcess.spawnfile, serverBinary());
});

test('a server that cannot start: the status says so and the error offers the setting', async () => {
  stub.changeSettings({ 'nginxls.server.path': path.join(extDir, 'missing', 'nginxls') });
  const [item] = stub.statusItems;
  const [, text, action] = await waitFor('an error message', () => stub.messages.find((m) => m[0] === 'error'));
  assert.match(text, /^nginxls: \S*missing\/nginxls does not exist/);
  assert.equal(stub.messages.filter((m) => m[0] === 'error').length, 1, 'one message');
  assert.equal(action, 'Open Settings');
  assert.match(item.text, /error/);
  stub.changeSettings({ 'nginxls.server.path': '' });
  await waitFor('the bundled server running again', () => client()?.state === State.Running);
  assert.equal(client().serverProcess.spawnfile, path.join(extDir, 'bin', 'nginxls'));
  assert.doesNotMatch(item.text, /error/);
});

test('nginxls.restartServer starts a new server process', async () => {
  const pid = client().serverProcess.pid;
  await stub.commands.get('nginxls.restartServer')();
  await waitFor('a new running client', () => client()?.state === State.Running && client().serverProcess.pid !== pid);
});

test('nginxls.showOutput reveals the output channel', async () => {
  await stub.commands.get('nginxls.showOutput')();
  assert.deepEqual(stub.messages.at(-1), ['show-output', 'nginxls']);
});

test('nginxls.showCiphers runs `nginxls ciphers` on the directive under the cursor', async () => {
  const text = 'server {\n    ssl_ciphers "HIGH:!aNULL:!MD5";\n}\n';
  const offset = text.indexOf('HIGH') + 2;
  stub.setActiveEditor(stub.editor('nginx', text, offset));
  await stub.commands.get('nginxls.showCiphers')();
  const doc = stub.opened.at(-1);
  assert.ok(doc, 'a result document was opened');
  assert.match(
    doc.content,
    /^# ssl_ciphers HIGH:!aNULL:!MD5\n# nginxls ciphers --openssl 1\.1\.1 -- HIGH:!aNULL:!MD5\n/,
  );
  if (hasCiphersCommand(serverBinary())) {
    assert.match(doc.content, /AES/, 'the suites are listed');
  }
  stub.setActiveEditor(undefined);
});

test('deactivate stops the server', async () => {
  const proc = client().serverProcess;
  await ext.deactivate();
  await waitFor('server exit', () => proc.exitCode !== null);
  assert.equal(proc.exitCode, 0, 'shutdown then exit');
  assert.equal(client(), undefined);
});
