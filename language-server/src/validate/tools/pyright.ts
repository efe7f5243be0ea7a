// The one adapter over pyright: its command line (`--outputjson`) in a child process, basic mode
// unless the project configures pyright itself (pyrightconfig.json or [tool.pyright]).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FindingSeverity } from '../../../../protocol/validate';
import { relPath } from '../findings';
import { ToolUnavailableError, type StageFinding } from '../model';
import { cacheRoot } from '../../common/cacheRoot';
import { pyrightEntry } from './pyrightInstall';
import { PyrightQueue } from './pyrightQueue';
import { pathOutside, resolvePythonInterpreter } from './pythonInterpreter';

interface PyrightDiagnostic {
  file: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  rule?: string;
}

const timeoutMs = 180_000;

/** The project's own pyright configuration (pyrightconfig.json, or pyproject.toml with [tool.pyright]). */
function projectConfig(root: string): string | undefined {
  const read = (name: string) => {
    try {
      return readFileSync(join(root, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const pyproject = read('pyproject.toml');
  return read('pyrightconfig.json') ?? (pyproject && /^\s*\[tool\.pyright[\].]/m.test(pyproject) ? pyproject : undefined);
}

/** True when the project declares Python dependencies but has no virtual environment beside it. */
function pythonDependenciesMissing(root: string): boolean {
  const declares = ['requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile'].some((name) => {
    try {
      const text = readFileSync(join(root, name), 'utf8');
      return name !== 'pyproject.toml' || /^\s*dependencies\s*=\s*\[\s*["']/m.test(text);
    } catch {
      return false;
    }
  });
  return declares && !['.venv', 'venv', 'env'].some((dir) => existsSync(join(root, dir, 'pyvenv.cfg')));
}

async function run(args: string[], signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = await pyrightEntry().catch((err: Error) => {
    throw new ToolUnavailableError(`pyright could not be unpacked: ${err.message.split('\n')[0]}`);
  });
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [entry, ...args],
      { signal, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...env, NODE_OPTIONS: '' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ABORT_ERR') return reject(signal.reason ?? err);
        if (err && typeof (err as { code?: unknown }).code !== 'number')
          return reject(new ToolUnavailableError(`pyright could not run: ${err.message.split('\n')[0]}`));
        resolve({ code: child.exitCode ?? 0, stdout, stderr });
      },
    );
  });
}

function severityOf(severity: PyrightDiagnostic['severity']): FindingSeverity {
  return severity === 'information' ? 'info' : severity;
}

const queues = {
  trusted: new PyrightQueue((root, files, signal) => checkOnce(root, files, signal, true)),
  untrusted: new PyrightQueue((root, files, signal) => checkOnce(root, files, signal, false)),
};

/**
 * Type-checks Python files with pyright; parse errors (no rule) are left to the syntax stage.
 * pyright reads its configuration as data (a venv's packages from the folder, never by running
 * it); it runs the interpreter it is handed, which in an untrusted folder is never the folder's.
 */
export function pyrightFindings(root: string, absPaths: string[], signal: AbortSignal, options: { trusted: boolean }): Promise<StageFinding[]> {
  return absPaths.length ? queues[options.trusted ? 'trusted' : 'untrusted'].run(root, absPaths, signal) : Promise.resolve([]);
}

async function checkOnce(root: string, absPaths: string[], signal: AbortSignal, trusted: boolean): Promise<StageFinding[]> {
  let scratch: string | undefined;
  let project = root;
  const config = projectConfig(root);
  // A trusted project that names its own environment (venv, venvPath) keeps pyright's choice; an
  // untrusted one gets an interpreter from outside it (pyright would otherwise start `python3`
  // from PATH in the folder).
  const python =
    trusted && config && /venv/i.test(config)
      ? undefined
      : await resolvePythonInterpreter(root, process.env, join(cacheRoot(), 'python-interpreters.json'), signal, trusted);
  if (config === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'qlp-pyright-'));
    // pyright reads relative paths only; the execution root makes the project's own imports resolve.
    // Told the version, pyright does not start Python to ask it.
    const settings = {
      typeCheckingMode: 'basic',
      executionEnvironments: [{ root: relative(scratch, root) || '.' }],
      ...(python?.version ? { pythonVersion: python.version } : {}),
    };
    writeFileSync(join(scratch, 'pyrightconfig.json'), JSON.stringify(settings));
    project = scratch;
  }
  try {
    const env = trusted ? process.env : { ...process.env, PATH: pathOutside(root, process.env.PATH) };
    const { code, stdout, stderr } = await run(['--outputjson', ...(python ? ['--pythonpath', python.path] : []), '-p', project, ...absPaths], signal, env);
    let report: { generalDiagnostics?: PyrightDiagnostic[] };
    try {
      report = JSON.parse(stdout);
    } catch {
      throw new ToolUnavailableError(`pyright could not run (exit ${code}): ${(stderr || stdout).trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
    }
    const depsMissing = pythonDependenciesMissing(root);
    return (report.generalDiagnostics ?? []).flatMap((d): StageFinding[] => {
      if (!d.rule || !d.range) return [];
      const file = relPath(root, d.file);
      let severity = severityOf(d.severity);
      let message = d.message;
      if (depsMissing && d.rule === 'reportMissingImports' && severity === 'error') {
        severity = 'warning';
        message += " (The project's dependencies are not installed in a virtual environment here.)";
      }
      return [
        {
          file,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
          severity,
          code: d.rule,
          source: 'pyright',
          message,
        },
      ];
    });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
