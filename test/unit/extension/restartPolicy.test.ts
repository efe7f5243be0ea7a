import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../../extension/src/restartPolicy';

describe('RestartPolicy', () => {
  it('allows up to the cap within the window, then refuses', () => {
    const policy = new RestartPolicy(3, 1000);
    assert.deepEqual(
      [0, 10, 20, 30].map((t) => policy.onCrash(t)),
      [true, true, true, false],
    );
  });

  it('forgets crashes older than the window', () => {
    const policy = new RestartPolicy(2, 1000);
    assert.equal(policy.onCrash(0), true);
    assert.equal(policy.onCrash(500), true);
    assert.equal(policy.onCrash(1600), true, 'the crash at 0 and 500 are out of the window by 1600');
    assert.equal(policy.recentCrashes, 1);
  });

  it('never restarts automatically with a cap of 0', () => {
    assert.equal(new RestartPolicy(0).onCrash(0), false);
  });

  it('starts afresh after reset', () => {
    const policy = new RestartPolicy(1, 1000);
    policy.onCrash(0);
    assert.equal(policy.onCrash(1), false);
    policy.reset();
    assert.equal(policy.onCrash(2), true);
  });
});
