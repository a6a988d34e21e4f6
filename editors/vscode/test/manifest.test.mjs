// Every `contributes` entry is wired and valid: settings match what the code
// reads and what the server accepts, commands are registered (see
// activate.test.mjs), the language configuration parses, file associations
// match the shared list, the grammar loads in vscode-textmate (VS Code's own
// tokenizer, with its Oniguruma build) and scopes what it should, and the
// package holds what it needs.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { loadSrc, packageJson as pkg, require, root, serverBinary } from './helpers.mjs';

const { SERVER_KEYS, CLIENT_KEYS, SEVERITIES, toServerSettings } = loadSrc('settings');
const contributes = pkg.contributes;
const props = contributes.configuration.properties;

describe('package.json', () => {
  test('main is the esbuild bundle and exports activate/deactivate', () => {
    assert.equal(pkg.main, './dist/extension.js');
    const src = fs.readFileSync(path.join(root, pkg.main), 'utf8');
    assert.match(src, /activate/);
    assert.match(src, /deactivate/);
  });
  test('engines.vscode matches @types/vscode and what vscode-languageclient needs', () => {
    const types = require('@types/vscode/package.json').version;
    assert.equal(pkg.engines.vscode, `^${types}`);
    const clientPkg = JSON.parse(
      fs.readFileSync(path.join(root, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'),
    );
    assert.equal(clientPkg.engines.vscode, pkg.engines.vscode);
  });
  test('the runtime dependency is pinned and bundled; everything else is a dev dependency', () => {
    assert.deepEqual(Object.keys(pkg.dependencies), ['vscode-languageclient']);
    for (const v of Object.values({ ...pkg.dependencies })) assert.match(v, /^\d+\.\d+\.\d+$/);
    assert.ok(fs.existsSync(path.join(root, 'package-lock.json')));
  });
});

describe('contributes.configuration', () => {
  test('the settings are exactly those the extension reads', () => {
    const keys = Object.keys(props).map((k) => k.replace(/^nginxls\./, ''));
    assert.deepEqual(keys.sort(), [...SERVER_KEYS, ...CLIENT_KEYS].sort());
  });
  test('every default is valid against its own schema, and no $ref is used', () => {
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.markdownDescription || p.description, `${key} is described`);
      assert.equal(typeof p.default, p.type, `${key} default type`);
      if (p.enum) assert.ok(p.enum.includes(p.default), `${key} default in enum`);
      if (p.enumDescriptions) assert.equal(p.enumDescriptions.length, p.enum.length, `${key} enumDescriptions`);
      if (p.pattern) assert.match(p.default, new RegExp(p.pattern), `${key} default matches pattern`);
    }
    // VS Code merges these into one schema, where "#/..." would not point here.
    assert.doesNotMatch(JSON.stringify(contributes.configuration), /\$ref/);
  });
  test('nginxVersion pattern accepts versions and rejects junk', () => {
    const re = new RegExp(props['nginxls.nginxVersion'].pattern);
    for (const ok of ['', '1.24.0', '1.27', '1.25.10']) assert.match(ok, re);
    for (const bad of ['latest', '1', 'v1.24.0', '1.24.0 ']) assert.doesNotMatch(bad, re);
  });
  test("rule severities are the server's, and every listed rule exists", (t) => {
    const rules = props['nginxls.rules'];
    assert.deepEqual(rules.additionalProperties.enum, [...SEVERITIES]);
    const known = execFileSync(serverBinary(), ['rules'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]);
    for (const [id, schema] of Object.entries(rules.properties)) {
      assert.ok(known.includes(id), `rule ${id} is known to nginxls rules`);
      assert.deepEqual(schema.enum, [...SEVERITIES]);
      assert.ok(schema.markdownDescription, `${id} described`);
    }
    const missing = known.filter((id) => !(id in rules.properties));
    if (missing.length) {
      // Not an error (additionalProperties accepts them), but settings
      // completion lacks them until they are listed.
      t.diagnostic(`not in nginxls.rules (run npm run sync-rules): ${missing.join(', ')}`);
    }
  });
  test('trace.server has the values vscode-languageclient reads', () => {
    assert.deepEqual(props['nginxls.trace.server'].enum, ['off', 'messages', 'verbose']);
  });
  test('the server accepts every value the settings allow', async () => {
    const listed = Object.keys(props['nginxls.rules'].properties);
    for (const openssl of props['nginxls.openssl'].enum) {
      for (const profile of props['nginxls.profile'].enum) {
        const values = {
          nginxVersion: '1.24.0',
          maxDiagnostics: props['nginxls.maxDiagnostics'].default,
          openssl,
          profile,
          rules: Object.fromEntries(listed.map((id, i) => [id, SEVERITIES[i % SEVERITIES.length]])),
        };
        const stderr = await initializeWith(toServerSettings((k) => values[k]));
        assert.equal(stderr, '', `server complained about ${JSON.stringify(values)}`);
      }
    }
  });
});

/** Starts nginxls, initializes it with options, shuts it down; returns its stderr. */
function initializeWith(options) {
  return new Promise((resolve, reject) => {
    const p = spawn(serverBinary(), ['serve'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('exit', () => resolve(stderr));
    const msg = (m) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...m });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    p.stdin.end(
      msg({
        id: 1,
        method: 'initialize',
        params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: options },
      }) +
        msg({ id: 2, method: 'shutdown' }) +
        msg({ method: 'exit' }),
    );
  });
}

describe('contributes.commands and menus', () => {
  test('commands have titles in the nginxls category; menus refer to them', () => {
    const ids = contributes.commands.map((c) => c.command);
    for (const c of contributes.commands) {
      assert.match(c.command, /^nginxls\./);
      assert.ok(c.title);
      assert.equal(c.category, 'nginxls');
    }
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(ids.includes(item.command), `${menu}: ${item.command}`);
    }
    const src = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
    for (const id of ids) assert.ok(src.includes(`registerCommand('${id}'`), `${id} registered in src`);
  });
});

describe('contributes.languages', () => {
  const [lang] = contributes.languages;

  test('one language, id nginx, with its configuration', () => {
    assert.equal(contributes.languages.length, 1);
    assert.equal(lang.id, 'nginx');
    const conf = JSON.parse(fs.readFileSync(path.join(root, lang.configuration), 'utf8'));
    assert.equal(conf.comments.lineComment, '#');
    assert.deepEqual(conf.brackets[0], ['{', '}']);
    const closing = conf.autoClosingPairs.map((p) => p.open);
    for (const c of ['{', '"', "'"]) assert.ok(closing.includes(c), `auto-closes ${c}`);
    // The regular expressions VS Code compiles (with the JavaScript engine).
    const wordRe = new RegExp(conf.wordPattern, 'g');
    assert.deepEqual('proxy_pass http://app:8000/$uri;'.match(wordRe), ['proxy_pass', 'http://app:8000/', '$uri']);
    assert.deepEqual('return 301 ${scheme}x;'.match(wordRe), ['return', '301', '${scheme}', 'x']);
    new RegExp(conf.indentationRules.increaseIndentPattern);
    assert.match('server {', new RegExp(conf.indentationRules.increaseIndentPattern));
    assert.doesNotMatch('server { listen 80; }', new RegExp(conf.indentationRules.increaseIndentPattern));
    assert.match('  }', new RegExp(conf.indentationRules.decreaseIndentPattern));
    new RegExp(conf.folding.markers.start);
    new RegExp(conf.folding.markers.end);
  });

  test('file associations match editors/testdata/filetypes.tsv', () => {
    // VS Code matches filenamePatterns with its own glob, close to minimatch
    // with dot files allowed; vscode-languageclient itself depends on minimatch.
    const { minimatch } = require(
      require.resolve('minimatch', { paths: [path.dirname(require.resolve('vscode-languageclient/node'))] }),
    );
    const rows = fs
      .readFileSync(path.join(root, '..', 'testdata', 'filetypes.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t'));
    assert.ok(rows.length >= 10);
    for (const [file, want] of rows) {
      const base = path.posix.basename(file);
      const got =
        lang.filenames.includes(base) ||
        lang.extensions.some((e) => base.endsWith(e)) ||
        lang.filenamePatterns.some((g) => minimatch(file, g, { dot: true }));
      assert.equal(got, want === 'nginx', file);
    }
  });
});

describe('contributes.grammars', () => {
  const [g] = contributes.grammars;
  let grammar;

  async function load() {
    if (grammar) return grammar;
    const vsctm = require('vscode-textmate');
    const onig = require('vscode-oniguruma');
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources) => new onig.OnigScanner(sources),
        createOnigString: (s) => new onig.OnigString(s),
      }),
      // source.lua (for *_by_lua_block) is VS Code's built-in Lua grammar.
      loadGrammar: async (scope) => {
        if (scope !== g.scopeName) return null;
        const file = path.join(root, g.path);
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      },
    });
    grammar = await registry.loadGrammar(g.scopeName);
    return grammar;
  }

  test('wired to the nginx language, scope source.nginx', () => {
    assert.equal(g.language, 'nginx');
    assert.equal(g.scopeName, 'source.nginx');
    const raw = JSON.parse(fs.readFileSync(path.join(root, g.path), 'utf8'));
    assert.equal(raw.scopeName, g.scopeName);
    // Every #include names a repository entry.
    const text = JSON.stringify(raw);
    for (const [, name] of text.matchAll(/"include":"#([^"]+)"/g)) assert.ok(raw.repository[name], `#${name}`);
  });

  const SAMPLE = [
    '# a comment with "quotes" and $var',
    'user www-data;',
    'http {',
    '    client_max_body_size 10m;',
    '    keepalive_timeout 65;',
    '    gzip on;',
    '    upstream app { server 127.0.0.1:8000 fail_timeout=0; }',
    "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
    '    server {',
    '        listen 443 ssl;',
    '        ssl_session_timeout 1d;',
    '        set $tag a#b;',
    '        add_header X-Frame "SAMEORIGIN $host" always;',
    '        location ~* \\.(png|jpg)$ { expires 30d; }',
    '        location = /exact { return 204; }',
    '        rewrite ^/old/(.*)$ /new/$1 permanent;',
    '        if ($request_method = POST) { return 405; }',
    '        content_by_lua_block { local t = { a = 1 } ngx.say(t.a) }',
    '        proxy_pass http://app;',
    '    }',
    '}',
  ];

  /** The scopes of the token at the nth occurrence of needle on the line holding marker. */
  async function scopes(marker, needle = marker, nth = 0) {
    const gr = await load();
    const vsctm = require('vscode-textmate');
    let stack = vsctm.INITIAL;
    for (const line of SAMPLE) {
      const r = gr.tokenizeLine(line, stack);
      stack = r.ruleStack;
      if (!line.includes(marker)) continue;
      let at = line.indexOf(needle);
      for (let i = 0; i < nth; i++) at = line.indexOf(needle, at + 1);
      const t = r.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
      return t.scopes;
    }
    throw new Error(`no line with ${marker}`);
  }
  const has = async (marker, needle, scope, nth) => {
    const s = await scopes(marker, needle, nth);
    assert.ok(
      s.some((x) => x.startsWith(scope)),
      `${JSON.stringify(needle)} on the ${JSON.stringify(marker)} line: ${scope} not in ${s.join(' ')}`,
    );
  };
  const hasNot = async (marker, needle, scope) => {
    const s = await scopes(marker, needle);
    assert.ok(!s.some((x) => x.startsWith(scope)), `${needle}: ${scope} in ${s.join(' ')}`);
  };

  test('comments, and # inside a word is not one', async () => {
    await has('# a comment', '#', 'comment.line.number-sign');
    await has('# a comment', '$var', 'comment.line.number-sign');
    await hasNot('set $tag', '#b', 'comment');
  });
  test('directives and block directives', async () => {
    await has('user www-data', 'user', 'keyword.other.directive');
    await has('http {', 'http', 'storage.type.directive.block');
    await has('http {', '{', 'punctuation.section.block.begin');
    await has('upstream app', 'upstream', 'storage.type.directive.block');
    await has('upstream app', 'server', 'keyword.other.directive', 0);
    await has('    server {', 'server', 'storage.type.directive.block');
    await has('proxy_pass http', 'proxy_pass', 'keyword.other.directive');
    await has('    }', '}', 'punctuation.section.block.end');
  });
  test('variables, in arguments and in strings', async () => {
    await has('map $http_upgrade', '$http_upgrade', 'variable.other');
    await has('add_header X-Frame', '$host', 'variable.other');
    await has('add_header X-Frame', '$host', 'string.quoted.double');
    await has('if ($request_method', '$request_method', 'variable.other');
  });
  test('strings', async () => {
    await has('add_header X-Frame', 'SAMEORIGIN', 'string.quoted.double');
    await has("default upgrade; ''", "''", 'string.quoted.single');
  });
  test('numbers, sizes and times; on/off', async () => {
    await has('client_max_body_size', '10m', 'constant.numeric');
    await has('keepalive_timeout', '65', 'constant.numeric');
    await has('ssl_session_timeout', '1d', 'constant.numeric');
    await has('listen 443', '443', 'constant.numeric');
    await has('gzip on', 'on', 'constant.language');
    await hasNot('upstream app', '127.0.0.1', 'constant.numeric');
  });
  test('regular-expression locations and rewrite', async () => {
    await has('location ~*', '~*', 'keyword.operator.regex');
    await has('location ~*', '\\.', 'string.regexp');
    await has('location ~*', 'png', 'string.regexp');
    await has('location = /exact', '=', 'keyword.operator.match');
    await has('location = /exact', '/exact', 'string.unquoted.location');
    await has('rewrite ^/old', '^', 'string.regexp');
    await has('rewrite ^/old', '$1', 'variable.other.capture');
  });
  test('a Lua block keeps its nested braces and the file after it', async () => {
    await has('content_by_lua_block', 'content_by_lua_block', 'storage.type.directive.block');
    await has('content_by_lua_block', 'ngx', 'meta.embedded.block.lua');
    await has('proxy_pass http', 'proxy_pass', 'keyword.other.directive');
    await hasNot('proxy_pass http', 'proxy_pass', 'meta.embedded');
  });
});

test('vsce packages the bundle, manifest, grammar and language configuration, nothing else', () => {
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
  const expected = [
    'README.md',
    'dist/extension.js',
    'language-configuration.json',
    'package.json',
    'syntaxes/nginx.tmLanguage.json',
  ];
  for (const f of expected) assert.ok(files.includes(f), `${f} packaged`);
  for (const f of files)
    assert.ok(
      expected.includes(f) || /^bin\/nginxls(\.exe)?$/.test(f) || f === 'LICENSE',
      `${f} should not be packaged`,
    );
});
