// Starts `leap lsp` for scenario files; everything else (checking, completion, navigation,
// rename, quick fixes, highlighting of ids) comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('leap');
  const args = ['lsp'];
  const scenarios = config.get('scenarios');
  if (scenarios) {
    args.push('--scenarios', scenarios);
  }
  const server = { command: config.get('path') || 'leap', args };
  client = new LanguageClient('leap', 'The Leap', { run: server, debug: server }, {
    documentSelector: [
      { scheme: 'file', language: 'leap-ron' },
      { scheme: 'untitled', language: 'leap-ron' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.ron') },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
