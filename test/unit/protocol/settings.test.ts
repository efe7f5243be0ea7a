import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { settingsSchema, toContributesConfiguration } from '../../../protocol/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('settings', () => {
  it('package.json declares exactly the settings of protocol/settings.ts (run npm run settings:sync)', () => {
    assert.deepEqual(pkg.contributes.configuration, JSON.parse(JSON.stringify(toContributesConfiguration())));
  });

  it('every setting is under qlp., described, and has a default of its declared type', () => {
    for (const [id, spec] of Object.entries(settingsSchema)) {
      assert.match(id, /^qlp(\.[a-zA-Z][a-zA-Z0-9]*)+$/, id);
      assert.ok(spec.markdownDescription.length > 20, `${id} needs a description`);
      const actual = Array.isArray(spec.default) ? 'array' : typeof spec.default;
      const expected = spec.type === 'integer' ? 'number' : spec.type;
      assert.equal(actual, expected, `${id}: default is ${actual}, declared ${spec.type}`);
      if (spec.enum) assert.ok(spec.enum.includes(spec.default as string), `${id}: default not in enum`);
      if (typeof spec.default === 'number') {
        if (spec.minimum !== undefined) assert.ok(spec.default >= spec.minimum, `${id}: default below minimum`);
        if (spec.maximum !== undefined) assert.ok(spec.default <= spec.maximum, `${id}: default above maximum`);
      }
    }
  });

  it('holds no secrets: no setting is a key, token or password', () => {
    for (const id of Object.keys(settingsSchema)) {
      assert.doesNotMatch(id, /key|token|secret|password/i, `${id} looks like a secret; secrets belong in SecretStorage`);
    }
  });
});
