// The extension's own logic, without VS Code: where the server binary comes
// from, how settings map to the server's, and which directive the cipher
// command reads.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadSrc } from './helpers.mjs';

const server = loadSrc('server');
const settings = loadSrc('settings');
const ciphers = loadSrc('ciphers');

describe('resolveServer', () => {
  const ext = '/ext';
  const none = () => false;
  const all = () => true;

  test('the setting wins, even over a bundled binary', () => {
    const r = server.resolveServer({ configuredPath: ' /opt/nginxls ', extensionPath: ext, isFile: all });
    assert.deepEqual(r, { command: '/opt/nginxls', source: 'setting' });
  });
  test('a setting starting with ~ is in the home directory', () => {
    const r = server.resolveServer({
      configuredPath: '~/go/bin/nginxls',
      extensionPath: ext,
      homedir: '/home/u',
      platform: 'linux',
    });
    assert.equal(r.command, '/home/u/go/bin/nginxls');
  });
  test('the bundled binary when the setting is empty', () => {
    for (const configuredPath of [undefined, '', '   ']) {
      const r = server.resolveServer({ configuredPath, extensionPath: ext, isFile: all, platform: 'linux' });
      assert.deepEqual(r, { command: '/ext/bin/nginxls', source: 'bundled' });
    }
  });
  test('the bundled binary on Windows ends in .exe', () => {
    const r = server.resolveServer({ extensionPath: 'C:\\ext', isFile: all, platform: 'win32' });
    assert.deepEqual(r, { command: 'C:\\ext\\bin\\nginxls.exe', source: 'bundled' });
  });
  test('PATH when nothing is bundled (the universal package)', () => {
    assert.deepEqual(server.resolveServer({ extensionPath: ext, isFile: none, platform: 'linux' }), {
      command: 'nginxls',
      source: 'path',
    });
    assert.equal(server.resolveServer({ extensionPath: ext, isFile: none, platform: 'win32' }).command, 'nginxls.exe');
  });
  test('it looks for the bundled binary where the package puts it', () => {
    const seen = [];
    server.resolveServer({ extensionPath: ext, platform: 'darwin', isFile: (p) => seen.push(p) && false });
    assert.deepEqual(seen, ['/ext/bin/nginxls']);
  });
  test('serverExists checks a path as is, a bare name along PATH', () => {
    const files = new Set(['/opt/nginxls', '/usr/local/bin/nginxls', 'C:\\tools\\nginxls.EXE']);
    const isFile = (p) => files.has(p);
    const env = { PATH: '/usr/bin:/usr/local/bin' };
    assert.equal(server.serverExists({ command: '/opt/nginxls', source: 'setting' }, { isFile }), true);
    assert.equal(server.serverExists({ command: '/opt/other', source: 'setting' }, { isFile }), false);
    assert.equal(server.serverExists({ command: 'nginxls', source: 'path' }, { isFile, env, platform: 'linux' }), true);
    assert.equal(server.serverExists({ command: 'nginxls', source: 'path' }, { isFile, env: { PATH: '/usr/bin' }, platform: 'linux' }), false);
    const win = { Path: 'C:\\Windows;C:\\tools', PATHEXT: '.COM;.EXE' };
    assert.equal(server.serverExists({ command: 'nginxls', source: 'path' }, { isFile, env: win, platform: 'win32' }), true);
  });
  test('ensureExecutable restores a lost executable bit', { skip: process.platform === 'win32' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginxls-'));
    const f = path.join(dir, 'nginxls');
    fs.writeFileSync(f, '');
    fs.chmodSync(f, 0o644);
    server.ensureExecutable(f);
    assert.equal(fs.statSync(f).mode & 0o777, 0o755);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('toServerSettings', () => {
  const from = (obj) => settings.toServerSettings((k) => obj[k]);

  test('empty settings send nothing, so the server keeps its defaults', () => {
    assert.deepEqual(from({ nginxVersion: '', openssl: '', profile: '', rules: {} }), {});
    assert.deepEqual(from({}), {});
  });
  test('values are trimmed; rule severities lower-cased', () => {
    assert.deepEqual(
      from({
        nginxVersion: ' 1.24.0 ',
        openssl: '1.1.1',
        profile: 'modern',
        rules: { 'tls-early-data': 'Off', syntax: 'ERROR' },
      }),
      {
        nginxVersion: '1.24.0',
        openssl: '1.1.1',
        profile: 'modern',
        rules: { 'tls-early-data': 'off', syntax: 'error' },
      },
    );
  });
  test('values of the wrong type are dropped', () => {
    assert.deepEqual(from({ nginxVersion: 124, rules: ['syntax'] }), {});
    assert.deepEqual(from({ rules: { syntax: 3, 'tls-early-data': '' } }), {});
  });
  test('certExpiryDays: positive integers only', () => {
    const get = (v) => (k) => ({ certExpiryDays: v })[k];
    assert.deepEqual(settings.toServerSettings(get(14)), { certExpiryDays: 14 });
    assert.deepEqual(settings.toServerSettings(get(0)), {});
    assert.deepEqual(settings.toServerSettings(get(-3)), {});
    assert.deepEqual(settings.toServerSettings(get('7')), {});
  });

  test('maxDiagnostics: non-negative integers, 0 included (no limit)', () => {
    const get = (v) => (k) => ({ maxDiagnostics: v })[k];
    assert.deepEqual(settings.toServerSettings(get(500)), { maxDiagnostics: 500 });
    assert.deepEqual(settings.toServerSettings(get(0)), { maxDiagnostics: 0 });
    assert.deepEqual(settings.toServerSettings(get(-1)), {});
    assert.deepEqual(settings.toServerSettings(get(2.5)), {});
    assert.deepEqual(settings.toServerSettings(get('100')), {});
  });

  test('mainConfig: relative paths and ${workspaceFolder} from the workspace folder', () => {
    const get = (v) => (k) => ({ mainConfig: v })[k];
    assert.deepEqual(settings.toServerSettings(get('/etc/nginx/nginx.conf'), '/ws'), { mainConfig: '/etc/nginx/nginx.conf' });
    assert.deepEqual(settings.toServerSettings(get('conf/nginx.conf'), '/ws'), { mainConfig: '/ws/conf/nginx.conf' });
    assert.deepEqual(settings.toServerSettings(get('${workspaceFolder}/nginx.conf'), '/ws'), { mainConfig: '/ws/nginx.conf' });
    assert.deepEqual(settings.toServerSettings(get(' '), '/ws'), {});
    assert.deepEqual(settings.toServerSettings(get('conf/nginx.conf')), { mainConfig: 'conf/nginx.conf' }, 'no folder');
  });
  test('client-only keys never reach the server', () => {
    const out = from({
      'server.path': '/x',
      'trace.server': 'verbose',
      server: { path: '/x' },
      trace: { server: 'off' },
    });
    assert.deepEqual(out, {});
  });
  test('only nginxls.server.path needs a restart', () => {
    const changed = (keys) => settings.needsRestart((s) => keys.includes(s));
    assert.equal(changed(['nginxls.server.path']), true);
    for (const k of [
      'nginxls.rules',
      'nginxls.openssl',
      'nginxls.nginxVersion',
      'nginxls.profile',
      'nginxls.trace.server',
    ]) {
      assert.equal(changed([k]), false, k);
    }
  });
});

describe('findCipherDirective', () => {
  const at = (text, marker) => {
    const off = text.indexOf(marker);
    assert.ok(off >= 0);
    return ciphers.findCipherDirective(text.replace(marker, ''), off);
  };

  test('quoted value, cursor inside it', () => {
    const d = at('server {\n  ssl_ciphers "HIGH:!a|NULL";\n}\n', '|');
    assert.equal(d.name, 'ssl_ciphers');
    assert.equal(d.value, 'HIGH:!aNULL');
  });
  test('cursor on the name, bare value, single quotes', () => {
    assert.equal(at('ss|l_ciphers ECDHE+AESGCM;', '|').value, 'ECDHE+AESGCM');
    assert.equal(at("ssl_ciphers 'DEFAULT:@SECLEVEL=2'|;", '|').value, 'DEFAULT:@SECLEVEL=2');
  });
  test('the proxy_, grpc_, uwsgi_ variants', () => {
    for (const name of ['proxy_ssl_ciphers', 'grpc_ssl_ciphers', 'uwsgi_ssl_ciphers', 'zone_sync_ssl_ciphers']) {
      assert.equal(at(`location / {\n  ${name} HIGH|;\n}`, '|')?.name, name);
    }
  });
  test('the line of the cursor when the cursor is in its indentation', () => {
    const d = at('ssl_protocols TLSv1.2;\n|    ssl_ciphers HIGH;\n', '|');
    assert.equal(d?.value, 'HIGH');
  });
  test('picks the directive under the cursor among several', () => {
    const text = 'ssl_ciphers A;\nproxy_ssl_ciphers B;\nssl_ciphers C;\n';
    assert.equal(at(text.replace('B;', 'B|;'), '|').value, 'B');
  });
  test('a directive over several lines, a comment in between', () => {
    const d = at('ssl_ciphers # the list\n    "ECDHE|:!aNULL"\n;', '|');
    assert.equal(d?.value, 'ECDHE:!aNULL');
  });
  test('nginx reading rules: # inside a word, escapes, ${', () => {
    assert.equal(at('ssl_ciphers A#B|;', '|').value, 'A#B');
    assert.equal(at('ssl_ciphers "A\\"B|";', '|').value, 'A"B');
    assert.equal(at('set $x ${y}; ssl_ciphers H|IGH;', '|').value, 'HIGH');
  });
  test('UTF-16 offsets after non-ASCII text', () => {
    const d = at('add_header X "😀 café"; ssl_ciphers HI|GH;', '|');
    assert.equal(d?.value, 'HIGH');
  });
  test('nothing for comments, other directives or an empty line', () => {
    assert.equal(at('# ssl_ciphers HI|GH;', '|'), undefined);
    assert.equal(at('ssl_prefer_server_ciphers o|n;', '|'), undefined);
    assert.equal(at('ssl_ciphers HIGH;\n\n|\n', '|'), undefined);
    assert.equal(at('ssl_ciphers|;', '|'), undefined, 'no value');
  });
});

test('ciphersArgs passes the target OpenSSL and ends flags before the string', () => {
  assert.deepEqual(ciphers.ciphersArgs('HIGH'), ['ciphers', '--', 'HIGH']);
  assert.deepEqual(ciphers.ciphersArgs('-ALL:HIGH', '1.0.2'), ['ciphers', '--openssl', '1.0.2', '--', '-ALL:HIGH']);
});
