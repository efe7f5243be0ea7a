// The LSP face of the engine. The transport comes from the command line:
// `--stdio` (other LSP clients, black-box tests) or `--node-ipc` (the VS Code extension).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { wireServer } from './server';

const connection = createConnection(ProposedFeatures.all);
wireServer(connection);
connection.listen();
