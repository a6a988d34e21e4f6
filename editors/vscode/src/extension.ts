// The VS Code client of nginxls: starts `nginxls serve` over stdio and adds
// the commands and status item. Everything that can be decided without the
// editor lives in server.ts, settings.ts and ciphers.ts, which tests load
// without VS Code.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  type Executable,
  LanguageClient,
  type LanguageClientOptions,
  State,
} from 'vscode-languageclient/node';
import { ciphersArgs, findCipherDirective } from './ciphers';
import { ensureExecutable, type ResolvedServer, resolveServer, serverExists } from './server';
import { needsRestart, type ServerSettings, toServerSettings } from './settings';

const SECTION = 'nginxls';

let client: LanguageClient | undefined;
let server: ResolvedServer | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let extensionPath = '';

function serverSettings(scopeUri?: string): ServerSettings {
  const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  return toServerSettings((key) => cfg.get(key), folder?.uri.fsPath);
}

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  extensionPath = ctx.extensionPath;
  output = vscode.window.createOutputChannel('nginxls', { log: true });
  status = vscode.window.createStatusBarItem('nginxls.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'nginxls';
  status.command = 'nginxls.showOutput';
  ctx.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('nginxls.restartServer', restart),
    vscode.commands.registerCommand('nginxls.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('nginxls.showCiphers', showCiphers),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.window.onDidChangeActiveTextEditor(updateStatusVisibility),
    { dispose: () => void stop() },
  );
  updateStatusVisibility(vscode.window.activeTextEditor);
  await start();
}

export function deactivate(): Thenable<void> | undefined {
  return stop();
}

/** Exposed for tests: the running client, if any. */
export function currentClient(): LanguageClient | undefined {
  return client;
}

async function start(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  server = resolveServer({ configuredPath: cfg.get<string>('server.path'), extensionPath });
  if (!serverExists(server)) {
    await startFailed(server.source === 'path' ? `${server.command} was not found on PATH` : `${server.command} does not exist`);
    return;
  }
  if (server.source === 'bundled') {
    ensureExecutable(server.command);
  }
  // No `transport`: with TransportKind.stdio the client would append
  // --stdio, which `nginxls serve` does not take. stdio is the default.
  const exe: Executable = { command: server.command, args: ['serve'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nginx' },
      { scheme: 'untitled', language: 'nginx' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        // The server pulls section "nginxls"; answer with the mapped
        // settings, not the raw section (which holds client-only keys).
        configuration: async (params, token, next) => {
          const theirs = await next(params, token);
          if (!Array.isArray(theirs)) {
            return theirs;
          }
          const values: unknown[] = theirs;
          return params.items.map((item, i): unknown =>
            item.section === SECTION ? serverSettings(item.scopeUri) : values[i],
          );
        },
      },
    },
  };
  client = new LanguageClient('nginxls', 'nginxls', { run: exe, debug: exe }, clientOptions);
  client.onDidChangeState((e) => showState(e.newState));
  showState(State.Starting);
  output.info(`starting ${server.command} serve (${server.source})`);
  try {
    await client.start();
  } catch (err) {
    // The client has shown its own message; the status item keeps the state.
    showState(State.Stopped, err);
  }
}

async function startFailed(why: string): Promise<void> {
  showState(State.Stopped, why);
  output.error(why);
  const open = 'Open Settings';
  const pick = await vscode.window.showErrorMessage(
    `nginxls: ${why}. Set nginxls.server.path to the nginxls executable.`,
    open,
  );
  if (pick === open) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'nginxls.server.path');
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  try {
    // dispose stops a running server (shutdown, exit) and releases the rest.
    await c?.dispose();
  } catch (err) {
    // A client that failed to start cannot be stopped; nothing is left to do.
    output.debug(`stopping: ${errorText(err)}`);
  }
}

async function restart(): Promise<void> {
  output.info('restarting the server');
  await stop();
  await start();
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!e.affectsConfiguration(SECTION)) {
    return;
  }
  if (needsRestart((s) => e.affectsConfiguration(s))) {
    await restart();
    return;
  }
  // The server re-reads its section on this notification (it pulls when the
  // client supports workspace/configuration, as VS Code does); the settings
  // ride along for servers that do not. Trace changes are handled by the
  // language client itself.
  if (client?.state === State.Running) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: serverSettings() },
    });
  }
}

function showState(state: State, err?: unknown): void {
  switch (state) {
    case State.Starting:
      status.text = '$(sync~spin) nginxls';
      status.tooltip = 'nginxls: starting';
      status.backgroundColor = undefined;
      break;
    case State.Running: {
      const info = client?.initializeResult?.serverInfo;
      status.text = '$(shield) nginxls';
      status.tooltip = `nginxls ${info?.version ?? ''} is running (${server?.command}). Click for the output.`;
      status.backgroundColor = undefined;
      break;
    }
    case State.Stopped:
      status.text = '$(error) nginxls';
      status.tooltip = `nginxls is stopped${err ? `: ${errorText(err)}` : ''}. Click for the output.`;
      status.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      break;
  }
}

function updateStatusVisibility(editor: vscode.TextEditor | undefined): void {
  if (editor?.document.languageId === 'nginx') {
    status.show();
  } else {
    status.hide();
  }
}

async function showCiphers(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId !== 'nginx') {
    await vscode.window.showWarningMessage('nginxls: open an nginx configuration first.');
    return;
  }
  const doc = editor.document;
  const found = findCipherDirective(doc.getText(), doc.offsetAt(editor.selection.active));
  if (!found) {
    await vscode.window.showWarningMessage('nginxls: put the cursor on an ssl_ciphers directive.');
    return;
  }
  const command = server?.command ?? resolveServer({ extensionPath }).command;
  const args = ciphersArgs(found.value, serverSettings().openssl);
  const text = await new Promise<string>((resolve) => {
    execFile(command, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve(err ? `nginxls ${args.join(' ')} failed:\n${stderr || errorText(err)}` : stdout);
    });
  });
  const header = `# ${found.name} ${found.value}\n# nginxls ${args.join(' ')}\n\n`;
  const result = await vscode.workspace.openTextDocument({ content: header + text, language: 'plaintext' });
  await vscode.window.showTextDocument(result, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
