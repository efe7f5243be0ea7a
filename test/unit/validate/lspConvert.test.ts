import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../protocol/validate';
import { askQlpAction, disableActions, fixAllAction, quickFixes, toDiagnostic } from '../../../language-server/src/lsp/lspConvert';

const finding = (line: number, column: number, endColumn: number, newText?: string): Finding => ({
  file: 'a.ts',
  line,
  column,
  endLine: line,
  endColumn,
  severity: 'warning',
  stage: 'lint',
  source: 'eslint',
  code: 'prefer-const',
  message: 'm',
  ...(newText ? { fix: { title: `fix ${line}:${column}`, edits: [{ line, column, endLine: line, endColumn, newText }] } } : {}),
});

describe('findings as LSP', () => {
  it('turns 1-based findings into 0-based diagnostics that carry their fix', () => {
    const d = toDiagnostic(finding(3, 5, 8, 'const'));
    assert.deepEqual(d.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 7 } });
    assert.equal(d.severity, 2);
    assert.deepEqual([d.source, d.code], ['eslint', 'prefer-const']);
    const [action] = quickFixes('file:///a.ts', [d]);
    assert.deepEqual(action.edit?.changes?.['file:///a.ts'], [{ range: d.range, newText: 'const' }]);
    assert.equal(action.kind, 'quickfix');
  });

  it('fixes all in one edit, leaving out fixes that overlap an earlier one', () => {
    const action = fixAllAction('file:///a.ts', [finding(1, 1, 4, 'const'), finding(1, 2, 6, 'x'), finding(2, 1, 4, 'const'), finding(5, 1, 2)]);
    assert.deepEqual(
      action?.edit?.changes?.['file:///a.ts'].map((e) => [e.range.start.line, e.range.start.character, e.newText]),
      [
        [0, 0, 'const'],
        [1, 0, 'const'],
      ],
    );
    assert.equal(fixAllAction('file:///a.ts', [finding(5, 1, 2)]), undefined);
  });

  it('offers "Ask QLP to fix" for its own errors and warnings, with the findings as the command\'s argument', () => {
    const ours = toDiagnostic({ ...finding(3, 5, 8), severity: 'error', source: 'typescript', code: 'TS2322', message: 'bad type' });
    const theirs = { ...ours, data: undefined, source: 'ts' };
    const action = askQlpAction('file:///a.ts', [theirs, ours]);
    assert.equal(action?.command?.command, 'qlp.askToFix');
    assert.deepEqual(action?.command?.arguments, [
      'file:///a.ts',
      [{ line: 3, column: 5, severity: 'error', source: 'typescript', code: 'TS2322', message: 'bad type' }],
    ]);
    assert.deepEqual(action?.diagnostics, [ours]);
    assert.equal(askQlpAction('file:///a.ts', [theirs]), undefined);
    assert.equal(askQlpAction('file:///a.ts', [toDiagnostic({ ...finding(1, 1, 2), severity: 'info' })]), undefined);
  });

  it("links each diagnostic's code to its rule's docs", () => {
    assert.deepEqual(toDiagnostic(finding(1, 1, 2)).codeDescription, { href: 'https://eslint.org/docs/latest/rules/prefer-const' });
    assert.equal(toDiagnostic({ ...finding(1, 1, 2), source: 'qlp', code: 'file-too-large' }).codeDescription, undefined);
  });

  it('offers "Disable <rule> for this line" as one edit of the document version it was made for, once per rule and line', () => {
    const text = 'import os\r\n\r\ndef f():\r\n    x: int = "a"\r\n';
    const unused = toDiagnostic({ ...finding(1, 1, 10), source: 'ruff', code: 'F401' });
    const typeError = toDiagnostic({ ...finding(4, 14, 17), source: 'pyright', code: 'reportAssignmentType', stage: 'types' });
    const theirs = { ...unused, data: undefined, source: 'Ruff' };
    const actions = disableActions('file:///a.py', { text, version: 7 }, [unused, unused, typeError, theirs]);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Disable F401 for this line', 'Disable reportAssignmentType for this line'],
    );
    assert.deepEqual(actions[1].edit?.documentChanges, [
      {
        textDocument: { uri: 'file:///a.py', version: 7 },
        edits: [{ range: { start: { line: 3, character: 16 }, end: { line: 3, character: 16 } }, newText: '  # pyright: ignore[reportAssignmentType]' }],
      },
    ]);
    const ts = toDiagnostic({ ...finding(2, 3, 5), source: 'typescript', code: 'TS2322', stage: 'types' });
    const [above] = disableActions('file:///a.ts', { text: 'function f() {\r\n  return 1;\r\n}', version: 1 }, [ts]);
    assert.deepEqual((above.edit?.documentChanges?.[0] as { edits: unknown[] }).edits, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '  // @ts-expect-error\r\n' },
    ]);
    assert.deepEqual(disableActions('file:///a.py', undefined, [unused]), [], 'no open text, no edit');
  });
});
