// Where the offline VS Code (code-server) lives; shared by the setup script, `npm start` and tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(fileURLToPath(import.meta.url), '..', '..');
export const codeServerVersion = '4.100.3';
export const codeServerDir = process.env.QLP_CODE_SERVER_DIR || join(repoRoot, '.cache', `code-server-${codeServerVersion}`);
export const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server');
export const codeServerBin = join(codeServerPackage, 'out', 'node', 'entry.js');
/** VS Code's own server, for running test suites inside the real extension host. */
export const vscodeServerMain = join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js');
