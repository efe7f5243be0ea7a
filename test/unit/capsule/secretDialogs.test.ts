// The editor's secret warnings name each file and line, and their buttons say what they do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pushSecretsWarning, secretChoices, secretsWarning } from '../../../extension/src/capsules/present';

const billing = { path: 'src/billing.ts', rules: ['@qlp/stripe-key'], lines: [3] };
const env = { path: '.env', rules: ['@qlp/env-file', '@qlp/hardcoded-secret'], lines: [2, 5] };

describe('secret warnings in the editor', () => {
  it('names the file a button leaves out or includes, or how many', () => {
    assert.deepEqual(secretChoices([billing]), { leave: 'Leave out billing.ts', include: 'Include billing.ts' });
    assert.deepEqual(secretChoices([billing, env]), { leave: 'Leave out 2 files', include: 'Include 2 files' });
  });

  it('lists each file with its rules and lines, QLP\'s rules by their short names', () => {
    const { detail } = secretsWarning([billing, env]);
    assert.equal(detail, '• src/billing.ts (stripe-key, line 3)\n• .env (env-file, hardcoded-secret, line 2, 5)\n\nQLP leaves them out unless you include them.');
    const many = secretsWarning(Array.from({ length: 25 }, (_, i) => ({ ...billing, path: `f${i}.ts` })));
    assert.match(many.detail, /• f19\.ts \(stripe-key, line 3\)\n• and 5 more\n\n/);
  });

  it('warns before a push that would send a likely secret, with a button that says so', () => {
    const warning = pushSecretsWarning('app v3', [billing]);
    assert.equal(warning.message, 'app v3 holds 1 file that looks like it holds a secret.');
    assert.equal(warning.push, 'Push with billing.ts');
    assert.match(warning.detail, /^• src\/billing\.ts \(stripe-key, line 3\)\n\nA push sends the version as it is\. To push without it, snapshot the folder again: new snapshots leave it out\.$/);
  });
});
