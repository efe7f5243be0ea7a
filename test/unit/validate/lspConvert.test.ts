import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../protocol/validate';
import { askQlpAction, fixAllAction, quickFixes, toDiagnostic } from '../../../language-server/src/validate/lspConvert';

const finding = (line: number, column: number, endColumn: number, newText?: string): Finding => ({
  file: 'a.ts', line, column, endLine: line, endColumn, severity: 'warning', stage: 'lint', source: 'eslint', code: 'prefer-const', message: 'm',
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
    assert.deepEqual(action?.edit?.changes?.['file:///a.ts'].map((e) => [e.range.start.line, e.range.start.character, e.newText]), [[0, 0, 'const'], [1, 0, 'const']]);
    assert.equal(fixAllAction('file:///a.ts', [finding(5, 1, 2)]), undefined);
  });

  it('offers "Ask QLP to fix" for its own errors and warnings, with the findings as the command\'s argument', () => {
    const ours = toDiagnostic({ ...finding(3, 5, 8), severity: 'error', source: 'typescript', code: 'TS2322', message: 'bad type' });
    const theirs = { ...ours, data: undefined, source: 'ts' };
    const action = askQlpAction('file:///a.ts', [theirs, ours]);
    assert.equal(action?.command?.command, 'qlp.askToFix');
    assert.deepEqual(action?.command?.arguments, ['file:///a.ts', [{ line: 3, column: 5, severity: 'error', source: 'typescript', code: 'TS2322', message: 'bad type' }]]);
    assert.deepEqual(action?.diagnostics, [ours]);
    assert.equal(askQlpAction('file:///a.ts', [theirs]), undefined);
    assert.equal(askQlpAction('file:///a.ts', [toDiagnostic({ ...finding(1, 1, 2), severity: 'info' })]), undefined);
  });
});
