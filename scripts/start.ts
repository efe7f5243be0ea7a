// `npm start`: builds QLP and opens it in VS Code on the sample workspace — the desktop VS Code
// (`code --extensionDevelopmentPath`) when `code` is on PATH, else the offline browser VS Code
// (code-server) on a printed 127.0.0.1 URL. Ctrl+C stops it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freshProfile, installVsix, repoRoot, startCodeServer } from './codeServer';
import { ensureCodeServer } from './setup-code-server';

const workspace = join(repoRoot, 'examples', 'hello');

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
}

function hasDesktopCode(): boolean {
  return !process.env.QLP_BROWSER && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  if (hasDesktopCode()) {
    run('npm', ['run', '--silent', 'bundle']);
    console.log('Opening VS Code with QLP from this folder…');
    spawn('code', ['--extensionDevelopmentPath', repoRoot, workspace], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  run('npm', ['run', '--silent', 'package']);
  ensureCodeServer();
  // One profile for `npm start`, kept between runs so settings and keys stay.
  const profile = freshProfile({}, join(repoRoot, '.cache', 'start-profile'));
  installVsix(profile);
  const port = Number(process.env.QLP_PORT) || 8080;
  const server = await startCodeServer(profile, workspace, port);
  console.log(`\nQLP is running in VS Code at ${server.url}\nOpen it in a browser; press Ctrl+C to stop.\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.child.on('exit', (code) => {
    console.error(`code-server exited (${code}).`);
    process.exit(code ?? 1);
  });
}

main().catch((err: Error) => {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
});
