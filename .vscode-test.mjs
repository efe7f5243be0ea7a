// The in-host suite under @vscode/test-electron, for machines that can download VS Code
// (`npm run test:electron`). Offline, test/e2e/inHost.test.ts runs the same suite in code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'in-host',
  files: 'out/test/suite/extension.test.js',
  version: '1.100.3',
  workspaceFolder: './examples/hello',
  mocha: { ui: 'bdd', timeout: 30000 },
});
