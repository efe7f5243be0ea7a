// "Disable <rule> for this line": each comment is checked by running its own tool again on the
// edited text, which must no longer report the rule (and still report the others).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Finding, TextEditSpec } from '../../../protocol/validate';
import type { SourceFile } from '../../../language-server/src/validate/model';
import { suppressionFor } from '../../../language-server/src/validate/suppressComments';
import { EslintRunner } from '../../../language-server/src/validate/tools/eslint';
import { pyrightFindings } from '../../../language-server/src/validate/tools/pyright';
import { RuffRunner } from '../../../language-server/src/validate/tools/ruff';
import { TypeScriptChecker } from '../../../language-server/src/validate/tools/typescript';
import { tsconfig, writeProject } from '../../support/projects';

const noPause = async () => undefined;

/** Applies one edit (1-based, end exclusive) to a text. */
function apply(text: string, edit: TextEditSpec): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  return text.slice(0, offset(edit.line, edit.column)) + edit.newText + text.slice(offset(edit.endLine, edit.endColumn));
}

/** The text with `finding`'s rule turned off on its line. */
function suppressed(text: string, finding: Pick<Finding, 'source' | 'code' | 'stage' | 'line'>): string {
  const suppression = suppressionFor(finding, text.split('\n'), '\n');
  assert.ok(suppression, `no suppression for ${finding.code}`);
  assert.equal(suppression.title, `Disable ${finding.code} for this line`);
  return apply(text, suppression.edit);
}

const file = (root: string, path: string, text: string): SourceFile => ({
  path,
  absPath: join(root, path),
  text,
  language: path.endsWith('.py') ? 'python' : 'typescript',
});
const codes = (findings: Array<{ line: number; code?: string }>) => findings.map((f) => `${f.line}:${f.code}`);

describe('disable a rule for one line', () => {
  it('ESLint: a disable-next-line comment above, indented; a second rule joins it', async () => {
    const root = writeProject({});
    const eslint = new EslintRunner();
    const lint = async (text: string) =>
      (await eslint.run(root, [file(root, 'a.ts', text)], { lint: true, security: false, projectConfig: false }, noPause)).findings;
    const text = 'export function f() {\n  let unused: any = 1;\n  return 2;\n}\n';
    assert.deepEqual(codes(await lint(text)), ['2:prefer-const', '2:@typescript-eslint/no-unused-vars', '2:@typescript-eslint/no-explicit-any']);
    const once = suppressed(text, { source: 'eslint', code: 'prefer-const', stage: 'lint', line: 2 });
    assert.equal(once, 'export function f() {\n  // eslint-disable-next-line prefer-const\n  let unused: any = 1;\n  return 2;\n}\n');
    assert.deepEqual(codes(await lint(once)), ['3:@typescript-eslint/no-unused-vars', '3:@typescript-eslint/no-explicit-any']);
    const twice = suppressed(once, { source: 'eslint', code: '@typescript-eslint/no-explicit-any', stage: 'lint', line: 3 });
    assert.match(twice, /\/\/ eslint-disable-next-line prefer-const, @typescript-eslint\/no-explicit-any\n/);
    assert.deepEqual(codes(await lint(twice)), ['3:@typescript-eslint/no-unused-vars']);
    assert.equal(suppressionFor({ source: 'eslint', code: 'prefer-const', stage: 'lint', line: 3 }, once.split('\n'), '\n'), undefined, 'already off');
  });

  it('Ruff: a noqa comment at the end of the line, a second code joining it', async () => {
    const root = writeProject({});
    const ruff = new RuffRunner();
    const check = async (text: string) => (await ruff.run(root, [file(root, 'a.py', text)], { lint: true, security: true }, noPause)).findings;
    const text = 'import os, pickle   \n\nprint(pickle.loads(b""))\n';
    assert.deepEqual(codes(await check(text)).sort(), ['1:E401', '1:F401', '3:S301']);
    const once = suppressed(text, { source: 'ruff', code: 'F401', stage: 'lint', line: 1 });
    assert.equal(once.split('\n')[0], 'import os, pickle  # noqa: F401');
    const twice = suppressed(once, { source: 'ruff', code: 'E401', stage: 'lint', line: 1 });
    assert.equal(twice.split('\n')[0], 'import os, pickle  # noqa: F401, E401');
    assert.deepEqual(codes(await check(twice)), ['3:S301'], 'the security finding on another line stays');
    // A pyright comment after it leaves Ruff's reading of the line alone.
    const both = suppressed(twice, { source: 'pyright', code: 'reportMissingImports', stage: 'types', line: 1 });
    assert.equal(both.split('\n')[0], 'import os, pickle  # noqa: F401, E401  # pyright: ignore[reportMissingImports]');
    assert.deepEqual(codes(await check(both)), ['3:S301']);
  });

  it('pyright: an ignore comment for the rule, beside a noqa comment', async () => {
    const root = writeProject({ 'a.py': 'import os\ncount: int = "one"\n' });
    const text = 'import os  # noqa: F401\ncount: int = "one"\n';
    const once = suppressed(text, { source: 'pyright', code: 'reportAssignmentType', stage: 'types', line: 2 });
    assert.equal(once, 'import os  # noqa: F401\ncount: int = "one"  # pyright: ignore[reportAssignmentType]\n');
    const path = join(root, 'a.py');
    assert.deepEqual(codes(await pyrightFindings(root, [path], new AbortController().signal, { trusted: true })), ['2:reportAssignmentType']);
    writeFileSync(path, once);
    assert.deepEqual(await pyrightFindings(root, [path], new AbortController().signal, { trusted: true }), []);
  });

  it('TypeScript: an @ts-expect-error comment above a type error, never for a syntax error', async () => {
    const text = 'export function f(): number {\n  return "x";\n}\n';
    const root = writeProject({ 'tsconfig.json': tsconfig, 'src/a.ts': text });
    const path = join(root, 'src', 'a.ts');
    const checker = new TypeScriptChecker();
    const check = (t: string) => checker.check(root, [path], new Map([[path, t]]), noPause);
    assert.deepEqual(codes(await check(text)), ['2:TS2322']);
    const fixed = suppressed(text, { source: 'typescript', code: 'TS2322', stage: 'types', line: 2 });
    assert.equal(fixed, 'export function f(): number {\n  // @ts-expect-error\n  return "x";\n}\n');
    assert.deepEqual(await check(fixed), []);
    assert.equal(suppressionFor({ source: 'typescript', code: 'TS1005', stage: 'syntax', line: 1 }, ['if (x {'], '\n'), undefined);
  });

  it("offers nothing for secrets, QLP's own notes and syntax errors", () => {
    const lines = ['token = "x"'];
    assert.equal(suppressionFor({ source: 'secretlint', code: '@secretlint/secretlint-rule-github', stage: 'security', line: 1 }, lines, '\n'), undefined);
    assert.equal(suppressionFor({ source: 'eslint', code: 'tool-failed', stage: 'lint', line: 1 }, lines, '\n'), undefined);
    assert.equal(suppressionFor({ source: 'ruff', code: 'invalid-syntax', stage: 'syntax', line: 1 }, lines, '\n'), undefined);
    assert.equal(
      suppressionFor({ source: 'ruff', code: 'F401', stage: 'lint', line: 1 }, ['import os  # noqa'], '\n'),
      undefined,
      'a blanket noqa already covers it',
    );
  });
});
