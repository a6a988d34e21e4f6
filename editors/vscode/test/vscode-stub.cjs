// A stand-in for the `vscode` module, so that the real extension bundle and
// the real vscode-languageclient can run under node:test (VS Code itself
// cannot be downloaded where these tests run). The parts the extension and
// the client use at start-up are modelled; anything else is an inert stub
// whose use is recorded in `stub.unmodelled` for debugging.
'use strict';
const Module = require('node:module');
const { pathToFileURL, fileURLToPath } = require('node:url');

function inert(name, log) {
  // A function, not an arrow: stubs must be constructible (the client's classes extend them).
  const f = function () {};
  return new Proxy(f, {
    get(t, p) {
      if (p === 'then' || typeof p === 'symbol') return undefined;
      if (p === 'dispose') return () => {};
      if (!(p in t)) {
        log.add(`${name}.${String(p)}`);
        t[p] = inert(`${name}.${String(p)}`, log);
      }
      return t[p];
    },
    apply: () => inert(`${name}()`, log),
    construct: () => inert(`new ${name}`, log),
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...ds) {
    return new Disposable(() => {
      for (const d of ds) d?.dispose?.();
    });
  }
  dispose() {
    this._fn?.();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const l = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.add(l);
      return new Disposable(() => this.listeners.delete(l));
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

class Uri {
  constructor(scheme, path, str) {
    this.scheme = scheme;
    this.path = path;
    this._str = str;
  }
  static file(p) {
    return new Uri('file', p, pathToFileURL(p).href);
  }
  static parse(s) {
    const m = /^([a-z][a-z0-9+.-]*):/i.exec(s);
    return new Uri(m ? m[1] : 'file', s.replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, '/'), s);
  }
  get fsPath() {
    return this.scheme === 'file' ? fileURLToPath(this._str) : this.path;
  }
  toString() {
    return this._str;
  }
  toJSON() {
    return this._str;
  }
}

function createVscodeStub(settings = {}) {
  const unmodelled = new Set();
  const commands = new Map();
  const configChanged = new EventEmitter();
  const activeEditorChanged = new EventEmitter();
  const outputLines = [];
  const statusItems = [];
  const opened = [];
  const messages = [];
  const events = () => new EventEmitter().event;

  const logChannel = (name) => {
    const line = (level) => (msg) => outputLines.push(`[${level}] ${msg}`);
    return {
      name,
      logLevel: 1, // Trace: the client logs every message it is asked to
      onDidChangeLogLevel: events(),
      trace: line('trace'),
      debug: line('debug'),
      info: line('info'),
      warn: line('warn'),
      error: (m) => outputLines.push(`[error] ${m instanceof Error ? m.message : m}`),
      append: (m) => outputLines.push(m),
      appendLine: (m) => outputLines.push(m),
      replace: () => {},
      clear: () => {},
      show: () => messages.push(['show-output', name]),
      hide: () => {},
      dispose: () => {},
    };
  };

  const configuration = (section) => {
    const prefix = section ? `${section}.` : '';
    const lookup = (key) => {
      const full = prefix + key;
      if (full in settings) return settings[full];
      // Nested objects, as VS Code returns for a section.
      const out = {};
      let found = false;
      for (const [k, v] of Object.entries(settings)) {
        if (k.startsWith(`${full}.`)) {
          out[k.slice(full.length + 1)] = v;
          found = true;
        }
      }
      return found ? out : undefined;
    };
    return {
      get: (key, def) => lookup(key) ?? def,
      has: (key) => lookup(key) !== undefined,
      inspect: () => undefined,
      update: async () => {},
    };
  };

  const vscode = {
    version: '1.91.0',
    env: { appName: 'Visual Studio Code', language: 'en', uiKind: 1, openExternal: async () => true },
    Disposable,
    EventEmitter,
    Uri,
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ThemeColor: class {
      constructor(id) {
        this.id = id;
      }
    },
    CancellationTokenSource: class {
      constructor() {
        this.token = { isCancellationRequested: false, onCancellationRequested: events() };
      }
      cancel() {
        this.token.isCancellationRequested = true;
      }
      dispose() {}
    },
    commands: {
      registerCommand: (id, fn) => {
        if (commands.has(id)) throw new Error(`command ${id} already exists`);
        commands.set(id, fn);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id, ...args) => commands.get(id)?.(...args),
    },
    workspace: {
      getConfiguration: configuration,
      onDidChangeConfiguration: configChanged.event,
      textDocuments: [],
      notebookDocuments: [],
      workspaceFolders: undefined,
      getWorkspaceFolder: () => undefined,
      onDidOpenTextDocument: events(),
      onDidCloseTextDocument: events(),
      onDidChangeTextDocument: events(),
      onDidSaveTextDocument: events(),
      onWillSaveTextDocument: events(),
      onDidChangeWorkspaceFolders: events(),
      onDidOpenNotebookDocument: events(),
      onDidCloseNotebookDocument: events(),
      onDidChangeNotebookDocument: events(),
      onDidSaveNotebookDocument: events(),
      onDidCreateFiles: events(),
      onDidRenameFiles: events(),
      onDidDeleteFiles: events(),
      onWillCreateFiles: events(),
      onWillRenameFiles: events(),
      onWillDeleteFiles: events(),
      createFileSystemWatcher: () => ({
        onDidCreate: events(),
        onDidChange: events(),
        onDidDelete: events(),
        dispose() {},
      }),
      openTextDocument: async (opts) => {
        const doc = { ...opts, getText: () => opts.content };
        opened.push(doc);
        return doc;
      },
    },
    window: {
      createOutputChannel: (name) => logChannel(name),
      createStatusBarItem: (id, alignment, priority) => {
        const item = { id, alignment, priority, text: '', visible: false, show() {}, hide() {}, dispose() {} };
        item.show = () => {
          item.visible = true;
        };
        item.hide = () => {
          item.visible = false;
        };
        statusItems.push(item);
        return item;
      },
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: activeEditorChanged.event,
      onDidChangeVisibleTextEditors: events(),
      tabGroups: { all: [], onDidChangeTabs: events(), onDidChangeTabGroups: events() },
      showErrorMessage: async (...a) => void messages.push(['error', ...a]),
      showWarningMessage: async (...a) => void messages.push(['warning', ...a]),
      showInformationMessage: async (...a) => void messages.push(['info', ...a]),
      showTextDocument: async (doc, opts) => void messages.push(['show-document', doc, opts]),
      withProgress: async (_o, task) => task({ report() {} }, new vscode.CancellationTokenSource().token),
    },
    languages: new Proxy(
      {
        match: () => 0,
        createDiagnosticCollection: (name) => ({
          name,
          set() {},
          delete() {},
          clear() {},
          forEach() {},
          get: () => undefined,
          has: () => false,
          dispose() {},
        }),
      },
      {
        // register*Provider: the client registers providers as the server
        // announces capabilities; they are not exercised here.
        get: (t, p) => t[p] ?? (() => new Disposable()),
      },
    ),
  };
  const stub = new Proxy(vscode, {
    get(t, p) {
      if (p in t || typeof p === 'symbol') return t[p];
      unmodelled.add(String(p));
      t[p] = inert(String(p), unmodelled);
      return t[p];
    },
  });
  return {
    vscode: stub,
    settings,
    commands,
    outputLines,
    statusItems,
    opened,
    messages,
    unmodelled,
    /** Changes settings and fires onDidChangeConfiguration as VS Code does. */
    changeSettings(changes) {
      Object.assign(settings, changes);
      const keys = Object.keys(changes);
      configChanged.fire({
        affectsConfiguration: (s) => keys.some((k) => k === s || k.startsWith(`${s}.`)),
      });
    },
    /** A text editor on an unsaved document, the cursor at a UTF-16 offset. */
    editor(languageId, text = '', offset = 0) {
      const uri = Uri.parse('untitled:Untitled-1');
      const document = { uri, languageId, version: 1, getText: () => text, offsetAt: () => offset };
      return { document, selection: { active: { line: 0, character: offset } } };
    },
    setActiveEditor(editor) {
      vscode.window.activeTextEditor = editor;
      activeEditorChanged.fire(editor);
    },
  };
}

/** Makes require('vscode') return the stub; returns a function undoing it. */
function installVscodeStub(stub) {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request === 'vscode') return stub.vscode;
    return load.call(this, request, ...rest);
  };
  return () => {
    Module._load = load;
  };
}

module.exports = { createVscodeStub, installVscodeStub };
