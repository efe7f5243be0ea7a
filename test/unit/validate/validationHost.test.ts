// The editor-side scheduling, with a validate function that records what it is asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, ValidationReport } from '../../../protocol/validate';
import type { ValidateInput } from '../../../language-server/src/validate/pipeline';
import { validationSettings } from '../../../language-server/src/validate/settings';
import { ValidationHost } from '../../../language-server/src/validate/validationHost';
import { CancelledError } from '../../../language-server/src/common/cancellation';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function harness(settings: Record<string, unknown> = {}, extra: (input: ValidateInput) => Partial<ValidationReport> = () => ({})) {
  const calls: Array<{ input: ValidateInput; cancelled: boolean }> = [];
  const published: Array<[string, Finding[]]> = [];
  const host = new ValidationHost({
    async validate(input, signal): Promise<ValidationReport> {
      const call = { input, cancelled: false };
      calls.push(call);
      await sleep(60);
      if (signal.aborted) {
        call.cancelled = true;
        throw new CancelledError();
      }
      const text = input.overlays?.get(input.only?.[0] ?? '') ?? '';
      const file = input.only ? input.only[0].slice(input.root.length + 1) : 'all.ts';
      const diagnostics: Finding[] = [
        { file, line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', stage: 'syntax', source: 'test', message: `saw ${text}` },
      ];
      return { diagnostics, stages: [], score: 90, unscored: [], files: 1, ...extra(input) };
    },
    settings: async () => validationSettings({ debounceMs: 30, ...settings }),
    publish: (path, findings) => published.push([path, findings]),
    log: () => undefined,
  });
  host.setRoots(['/ws']);
  return { host, calls, published };
}

describe('validation host', () => {
  it('debounces typing, cancels superseded runs and shows the last text', async () => {
    const { host, calls, published } = harness();
    host.opened('/ws/a.ts', 'v1');
    await sleep(10);
    for (const text of ['v2', 'v3', 'v4']) {
      await host.changed('/ws/a.ts', text);
      await sleep(5);
    }
    await sleep(200);
    assert.equal(calls[0].cancelled, true, 'the open run is cancelled by the edits');
    const completed = calls.filter((c) => !c.cancelled);
    assert.equal(completed.length, 1);
    assert.equal(completed[0].input.thorough, false);
    assert.equal(published.at(-1)?.[1][0].message, 'saw v4');
  });

  it('validates on open and on save thoroughly, and clears a file when it closes', async () => {
    const { host, calls, published } = harness();
    host.opened('/ws/a.ts', 'x');
    await sleep(100);
    host.saved('/ws/a.ts');
    await sleep(100);
    assert.deepEqual(
      calls.map((c) => c.input.thorough),
      [true, true],
    );
    host.closed('/ws/a.ts');
    assert.deepEqual(published.at(-1), ['/ws/a.ts', []]);
  });

  it('does nothing while typing when onType is off, and nothing at all when disabled', async () => {
    const typing = harness({ onType: false });
    typing.host.opened('/ws/a.ts', 'x');
    await sleep(100);
    await typing.host.changed('/ws/a.ts', 'y');
    await sleep(100);
    assert.equal(typing.calls.length, 1);
    const disabled = harness({ enabled: false });
    disabled.host.opened('/ws/a.ts', 'x');
    await sleep(100);
    assert.equal(disabled.calls.length, 0);
    assert.deepEqual(disabled.published, [['/ws/a.ts', []]]);
  });

  it('validates the workspace and keeps its findings for files that are not open', async () => {
    const { host, published } = harness();
    const folders = await host.validateWorkspace(undefined, new AbortController().signal, () => undefined);
    assert.deepEqual(
      folders.map((f) => [f.root, f.errors, f.score]),
      [['/ws', 1, 90]],
    );
    assert.deepEqual(
      published.map(([path]) => path),
      ['/ws/all.ts'],
    );
    host.closed('/ws/all.ts');
    assert.equal(published.at(-1)?.[1].length, 1);
  });

  it('reads settings defensively', () => {
    const s = validationSettings({ stages: ['types', 'nonsense'], debounceMs: -5, maxFileSizeKb: 2 });
    assert.deepEqual(s.stages, ['types']);
    assert.equal(s.debounceMs, 0);
    assert.equal(s.maxFileBytes, 2048);
    assert.equal(validationSettings(undefined).enabled, true);
  });
  it("leaves open TS/JS files' types to the editor's built-in TypeScript, unless asked; the workspace run keeps them", async () => {
    const { host, calls } = harness({ stages: ['syntax', 'lint', 'types', 'security', 'tests'] });
    host.setBuiltinTypeScript(true);
    host.opened('/ws/a.ts', 'x');
    host.opened('/ws/b.mjs', 'x');
    host.opened('/ws/c.py', 'x');
    await sleep(150);
    const stagesOf = (path: string) => calls.find((c) => c.input.only?.[0] === path)?.input.stages;
    assert.deepEqual(stagesOf('/ws/a.ts'), ['syntax', 'lint', 'security']);
    assert.deepEqual(stagesOf('/ws/b.mjs'), ['syntax', 'lint', 'security']);
    assert.deepEqual(stagesOf('/ws/c.py'), ['syntax', 'lint', 'types', 'security']);
    await host.validateWorkspace(undefined, new AbortController().signal, () => undefined);
    assert.deepEqual(calls.at(-1)?.input.stages, ['syntax', 'lint', 'types', 'security', 'tests']);

    const asked = harness({ typesWithBuiltinTypeScript: true });
    asked.host.setBuiltinTypeScript(true);
    asked.host.opened('/ws/a.ts', 'x');
    await sleep(100);
    assert.ok(asked.calls[0].input.stages.includes('types'));
    const noBuiltin = harness();
    noBuiltin.host.opened('/ws/a.ts', 'x');
    await sleep(100);
    assert.ok(noBuiltin.calls[0].input.stages.includes('types'), 'without the built-in extension QLP reports types itself');
  });

  it('treats the workspace as untrusted until told, then re-validates the open documents trusted', async () => {
    const { host, calls } = harness();
    host.opened('/ws/a.ts', 'x');
    await sleep(100);
    assert.deepEqual(
      calls.map((c) => c.input.trusted),
      [false],
    );
    host.setTrusted(true);
    await sleep(100);
    assert.deepEqual(
      calls.map((c) => [c.input.only?.[0], c.input.trusted]),
      [
        ['/ws/a.ts', false],
        ['/ws/a.ts', true],
      ],
    );
    await host.validateWorkspace(undefined, new AbortController().signal, () => undefined);
    assert.equal(calls.at(-1)?.input.trusted, true);
  });

  it('remembers which stages a run could not check, for the Status view, until a run checks them', async () => {
    let lintCrashed = true;
    const crash = 'ESLint failed, so lint was not checked: out of memory';
    const { host } = harness(
      {},
      (): Partial<ValidationReport> =>
        lintCrashed
          ? {
              stages: [
                { stage: 'lint', status: 'failed', durationMs: 1, reason: crash },
                { stage: 'types', status: 'skipped', durationMs: 0, reason: 'no TypeScript or Python files to type-check' },
              ],
              unscored: [
                { stage: 'lint', reason: crash },
                { stage: 'types', reason: 'no TypeScript or Python files to type-check', nothingToCheck: true },
              ],
            }
          : { stages: [{ stage: 'lint', status: 'passed', durationMs: 1 }] },
    );
    host.opened('/ws/a.json', 'x');
    await sleep(100);
    assert.deepEqual(host.notChecked(), [{ stage: 'lint', reason: crash }], 'nothing to check is not worth telling');
    lintCrashed = false;
    host.saved('/ws/a.json');
    await sleep(100);
    assert.deepEqual(host.notChecked(), []);
  });

  it("shows a workspace run's findings once: open TS files' type errors are left to the built-in TypeScript, closed ones kept", async () => {
    const typeError = (file: string): Finding => ({
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      severity: 'error',
      stage: 'types',
      source: 'typescript',
      code: 'TS2345',
      message: 'bad argument',
    });
    const secret = (file: string): Finding => ({
      file,
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 2,
      severity: 'error',
      stage: 'security',
      source: 'secretlint',
      code: '@secretlint/secretlint-rule-github',
      message: 'Hard-coded GitHub token',
    });
    const { host, published } = harness({}, (input) => (input.only ? {} : { diagnostics: [typeError('open.ts'), secret('open.ts'), typeError('closed.ts')] }));
    host.setBuiltinTypeScript(true);
    host.opened('/ws/open.ts', 'x', 'typescript');
    await sleep(100);
    const [folder] = await host.validateWorkspace(undefined, new AbortController().signal, () => undefined);
    const last = (path: string) =>
      published
        .filter(([p]) => p === path)
        .at(-1)?.[1]
        .map((f) => f.code);
    assert.deepEqual(last('/ws/open.ts'), ['@secretlint/secretlint-rule-github'], "the open file's type error is VS Code's to show");
    assert.deepEqual(last('/ws/closed.ts'), ['TS2345']);
    assert.deepEqual([folder.errors, folder.leftToEditor], [3, { errors: 1, warnings: 0, infos: 0, extensions: ['vscode.typescript-language-features'] }]);
    host.closed('/ws/open.ts');
    assert.deepEqual(last('/ws/open.ts'), ['TS2345', '@secretlint/secretlint-rule-github'], 'closed, QLP shows what the editor no longer does');
  });

  it('leaves findings to an active extension as it comes and goes, unless deferToExtensions is off', async () => {
    const ruffFinding: Finding = {
      file: 'a.py',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      severity: 'warning',
      stage: 'lint',
      source: 'ruff',
      code: 'F401',
      message: 'unused',
    };
    const ruff = { tool: 'ruff' as const, extension: 'charliermarsh.ruff', languages: ['python'] };
    const { host, published, calls } = harness({}, () => ({ diagnostics: [ruffFinding] }));
    host.opened('/ws/a.py', 'import os', 'python');
    await sleep(100);
    assert.deepEqual(
      published.at(-1)?.[1].map((f) => f.code),
      ['F401'],
    );
    host.setEditorLinters([ruff]);
    await sleep(150);
    assert.deepEqual(published.at(-1), ['/ws/a.py', []]);
    assert.equal(calls.length, 2, 'the open document is checked again');
    host.setEditorLinters([]);
    await sleep(150);
    assert.deepEqual(
      published.at(-1)?.[1].map((f) => f.code),
      ['F401'],
    );

    const keep = harness({ deferToExtensions: false }, () => ({ diagnostics: [ruffFinding] }));
    keep.host.setEditorLinters([ruff]);
    keep.host.opened('/ws/a.py', 'import os', 'python');
    await sleep(100);
    assert.deepEqual(
      keep.published.at(-1)?.[1].map((f) => f.code),
      ['F401'],
    );
  });

  it('leaves Python types to Pylance when its type checking is on: pyright does not run for open files', async () => {
    const { host, calls } = harness({ stages: ['syntax', 'lint', 'types', 'security'] });
    host.setEditorLinters([{ tool: 'pyright', extension: 'ms-python.vscode-pylance', languages: ['python'], typeChecking: true }]);
    host.opened('/ws/a.py', 'x', 'python');
    await sleep(100);
    assert.deepEqual(calls[0].input.stages, ['syntax', 'lint', 'security']);
    host.setEditorLinters([{ tool: 'pyright', extension: 'ms-python.vscode-pylance', languages: ['python'], typeChecking: false }]);
    await sleep(100);
    assert.deepEqual(calls.at(-1)?.input.stages, ['syntax', 'lint', 'types', 'security']);
  });
});
