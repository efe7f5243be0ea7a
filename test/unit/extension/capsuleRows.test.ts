import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapsuleSummary, CapsuleVersionSummary } from '../../../protocol/capsuleApi';
import { capsuleRowDescription, costText, versionRowDescription, versionRowTooltip } from '../../../extension/src/views/capsuleRows';

const now = Date.parse('2026-03-01T12:00:00Z');
const base: CapsuleVersionSummary = {
  version: 1,
  parentVersion: null,
  createdAt: '2026-03-01T11:55:00Z',
  kind: 'generated',
  files: 5,
  bytes: 900,
  costUsd: 0,
  validation: 'passed',
  validationScore: 100,
  tags: [],
} as unknown as CapsuleVersionSummary;

describe('Capsules view rows', () => {
  it('says free for a run that cost nothing and keeps the digits a small cost needs', () => {
    assert.equal(costText(0), 'free');
    assert.equal(costText(0.0012), '$0.0012');
    assert.equal(costText(1.25), '$1.25');
    assert.equal(costText(null), undefined);
  });

  it('keeps a version row short, and spells it out for screen readers', () => {
    assert.equal(versionRowDescription(base, false, now), '5 files · free · 100/100 · 5 min ago');
    assert.equal(versionRowDescription({ ...base, costUsd: 0.0123 }, true, now), '5 min ago · 5 files · $0.0123 · validation passed 100');
    const snapshot = { ...base, kind: 'snapshot', costUsd: null, validation: null, validationScore: null } as CapsuleVersionSummary;
    assert.equal(versionRowDescription(snapshot, false, now), '5 files · snapshot · 5 min ago');
    assert.equal(versionRowDescription(snapshot, true, now), '5 min ago · 5 files · snapshot, not validated');
  });

  it('puts the cost in the tooltip as the row reads it, never $0.0000', () => {
    const capsule = { id: 'adder-1', name: 'adder', folder: '/w/adder', versions: [base] } as unknown as CapsuleSummary;
    const tooltip = versionRowTooltip(capsule, base);
    assert.match(tooltip, /Cost: free$/);
    assert.doesNotMatch(tooltip, /\$0\.0000/);
    assert.equal(capsuleRowDescription({ ...capsule, versions: [base, base] }, now), '2 versions · 5 min ago');
  });
});
