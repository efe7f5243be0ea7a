// The editor's secret warnings name each file and line, and their buttons say what they do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretChoices, secretsWarning } from '../../../extension/src/capsules/present';

const billing = { path: 'src/billing.ts', rules: ['@qlp/stripe-key'], lines: [3] };
const env = { path: '.env', rules: ['@qlp/env-file', '@qlp/hardcoded-secret'], lines: [2, 5] };

describe('secret warnings in the editor', () => {
  it('names the file a button leaves out or includes, or how many', () => {
    assert.deepEqual(secretChoices([billing]), { leave: 'Leave out billing.ts', include: 'Include billing.ts' });
    assert.deepEqual(secretChoices([billing, env]), { leave: 'Leave out 2 files', include: 'Include 2 files' });
  });

  it("lists each file with its rules and lines, QLP's rules by their short names", () => {
    const { detail } = secretsWarning([billing, env]);
    assert.equal(
      detail,
      '• src/billing.ts (stripe-key, line 3)\n• .env (env-file, hardcoded-secret, line 2, 5)\n\nQLP leaves them out unless you include them.',
    );
    const many = secretsWarning(Array.from({ length: 25 }, (_, i) => ({ ...billing, path: `f${i}.ts` })));
    assert.match(many.detail, /• f19\.ts \(stripe-key, line 3\)\n• and 5 more\n\n/);
  });
});
