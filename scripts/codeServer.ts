// The offline VS Code (code-server 4.100.3, VS Code 1.100.3: the last release that runs on
// Node 20) for `npm start` and the end-to-end tests: where it lives, fresh profiles, installing
// the built .vsix, and starting it with the whole process group killed at the end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..');
export const codeServerVersion = '4.100.3';
export const codeServerDir = process.env.QLP_CODE_SERVER_DIR || join(repoRoot, '.cache', `code-server-${codeServerVersion}`);
const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server');
export const codeServerBin = join(codeServerPackage, 'out', 'node', 'entry.js');
export const vscodeServerMain = join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js');
export const vsixPath = join(repoRoot, 'dist', 'qlp-linux-x64.vsix');
export const extensionId = 'qlp.qlp';

export interface Profile {
  root: string;
  home: string;
  userData: string;
  extensions: string;
  serverData: string;
  env: NodeJS.ProcessEnv;
}

/** A HOME, XDG folders, user data and extensions folder; fresh (a new temp folder) unless `root` is given. */
export function freshProfile(extraEnv: NodeJS.ProcessEnv = {}, root: string = mkdtempSync(join(tmpdir(), 'qlp-e2e-'))): Profile {
  const dirs = ['home', 'user-data', 'extensions', 'server-data', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache'];
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  const settings = join(root, 'user-data', 'User');
  mkdirSync(settings, { recursive: true });
  const settingsFile = join(settings, 'settings.json');
  // No walkthrough opens by itself (QLP's opens on a first start without a model): it would take
  // the focus from what a test is typing. The walkthrough's own test turns it back on.
  if (!existsSync(settingsFile))
    writeFileSync(
      settingsFile,
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
      }),
    );
  return {
    root,
    home: join(root, 'home'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    serverData: join(root, 'server-data'),
    env: {
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      TMPDIR: join(root, 'tmp'),
      XDG_CONFIG_HOME: join(root, 'xdg-config'),
      XDG_DATA_HOME: join(root, 'xdg-data'),
      XDG_CACHE_HOME: join(root, 'xdg-cache'),
      EXTENSIONS_GALLERY: '{}',
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      ...extraEnv,
    },
  };
}

/**
 * Adds user settings to a profile. Written to the Machine settings too: in the browser VS Code
 * the window is remote, and machine-scoped settings (endpoints) are only read from there.
 */
export function writeUserSettings(profile: Profile, settings: Record<string, unknown>): void {
  for (const folder of ['User', 'Machine']) {
    const dir = join(profile.userData, folder);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'settings.json');
    const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Installs a .vsix into the profile's extensions folder with code-server's own installer. */
export function installVsix(profile: Profile, vsix = vsixPath): void {
  const result = spawnSync(
    process.execPath,
    [codeServerBin, '--extensions-dir', profile.extensions, '--user-data-dir', profile.userData, '--install-extension', vsix, '--force'],
    {
      env: profile.env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (result.status !== 0 || !/was successfully installed/.test(result.stdout)) {
    throw new Error(`Installing ${vsix} failed (exit ${result.status}): ${result.stdout}${result.stderr}`);
  }
}

export interface RunningServer {
  url: string;
  port: number;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The VS Code server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The VS Code server did not answer ${url} within ${timeoutMs} ms:\n${log()}`);
}

function spawnGroup(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string; stop: () => Promise<void> } {
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM'); // the whole group: extension hosts outlive the page otherwise
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };
  return { child, log: () => output, stop };
}

/**
 * code-server with the profile's extensions, no auth, opening `workspace`. Workspace Trust is off
 * unless `options.workspaceTrust` (then the profile's `security.workspace.trust.*` settings apply).
 */
export async function startCodeServer(profile: Profile, workspace: string, port?: number, options: { workspaceTrust?: boolean } = {}): Promise<RunningServer> {
  port ??= await freePort();
  const config = join(profile.root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const { child, log, stop } = spawnGroup(
    [
      codeServerBin,
      '--config',
      config,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      profile.userData,
      '--extensions-dir',
      profile.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      workspace,
    ],
    profile.env,
  );
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, log);
  return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, port, child, log, stop };
}

/**
 * VS Code's own server with the smoke-test driver, for running a mocha suite inside the real
 * extension host: open the returned URL and the workbench calls `codeAutomationExit(code)`.
 */
export async function startTestHost(
  profile: Profile,
  options: { workspace: string; extensionDevelopmentPath: string; extensionTestsPath: string },
): Promise<RunningServer> {
  const port = await freePort();
  const { child, log, stop } = spawnGroup(
    [
      vscodeServerMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--telemetry-level',
      'off',
      '--enable-smoke-test-driver',
      '--server-data-dir',
      profile.serverData,
      '--user-data-dir',
      profile.userData,
      '--extensions-dir',
      profile.extensions,
    ],
    profile.env,
  );
  await waitForHttp(`http://127.0.0.1:${port}/version`, child, log);
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
  ]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(payload)}`;
  return { url, port, child, log, stop };
}
