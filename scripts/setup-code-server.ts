// Installs the offline VS Code used by `npm start` and the end-to-end tests: code-server 4.100.3
// (VS Code 1.100.3, the last release that runs on Node 20) into .cache/, once.
// Needs ripgrep (seeded into @vscode/ripgrep's cache so nothing is downloaded) and the Kerberos
// headers for a native build; as root on Debian they are installed when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeServerBin, codeServerDir, codeServerVersion } from './codeServer';

const marker = join(codeServerDir, '.installed');

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function ensureSystemPackages(): void {
  const missing: string[] = [];
  if (!has('rg')) missing.push('ripgrep');
  if (!has('krb5-config')) missing.push('libkrb5-dev');
  if (!missing.length) return;
  const root = process.getuid?.() === 0;
  if (!root || !has('apt-get')) {
    throw new Error(`code-server needs ${missing.join(' and ')}; install them (Debian: sudo apt-get install -y ${missing.join(' ')}) and run again.`);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get…`);
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function install(): void {
  ensureSystemPackages();
  const tmp = join(codeServerDir, 'tmp');
  const ripgrepCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(ripgrepCache, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  execFileSync('tar', ['czf', join(ripgrepCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', join(rg, '..'), 'rg']);
  writeFileSync(join(codeServerDir, 'package.json'), '{ "private": true }\n');
  console.log(`Installing code-server ${codeServerVersion} into ${codeServerDir} (about a minute)…`);
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${codeServerVersion}`], {
    cwd: codeServerDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmp,
      // code-server's postinstall runs nested npm installs that build native modules.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      npm_config_dangerously_allow_all_scripts: 'true',
    },
  });
  if (result.status !== 0 || !existsSync(codeServerBin)) throw new Error(`npm install code-server@${codeServerVersion} failed (exit ${result.status}).`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`code-server ${codeServerVersion} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** Installs code-server unless it already is; throws one sentence on failure. */
export function ensureCodeServer(): void {
  if (existsSync(marker)) return;
  mkdirSync(codeServerDir, { recursive: true });
  install();
}

if (require.main === module) {
  try {
    ensureCodeServer();
  } catch (err) {
    console.error(`setup-code-server: ${(err as Error).message}`);
    process.exit(3);
  }
}
