// The sandbox's environment is an allow-list, and known secrets are scrubbed from output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets, sandboxEnvironment, secretValues } from '../../../language-server/src/sandbox/environment';
import { sandboxSettingsFromEditor, sandboxSettingsFromEnvironment } from '../../../language-server/src/sandbox/settings';

describe('sandbox environment', () => {
  it("is built from nothing: a fixed allow-list, none of this process's secrets", () => {
    process.env.OPENAI_API_KEY = 'sk-unit-test-never-inside';
    const env = sandboxEnvironment({ phase: 'test', pythonPath: ['/deps/python'] });
    assert.deepEqual(Object.keys(env).sort(), [
      'CI',
      'COVERAGE_FILE',
      'FORCE_COLOR',
      'HOME',
      'LANG',
      'LC_ALL',
      'NO_COLOR',
      'PATH',
      'PIP_DISABLE_PIP_VERSION_CHECK',
      'PIP_NO_INPUT',
      'PYTHONDONTWRITEBYTECODE',
      'PYTHONPATH',
      'PYTHONUNBUFFERED',
      'TMPDIR',
      'TZ',
      'USER',
      'npm_config_audit',
      'npm_config_cache',
      'npm_config_fund',
      'npm_config_loglevel',
      'npm_config_update_notifier',
    ]);
    assert.ok(!JSON.stringify(env).includes('sk-unit-test-never-inside'));
    assert.equal(env.HOME, '/tmp');
    assert.match(env.PATH, /^\/project\/node_modules\/\.bin:/);
  });

  it('disables lifecycle scripts for installs only, and points installers at the cache', () => {
    assert.equal(sandboxEnvironment({ phase: 'install' }).npm_config_ignore_scripts, 'true');
    assert.equal(sandboxEnvironment({ phase: 'install' }).npm_config_cache, '/cache/npm');
    assert.equal(sandboxEnvironment({ phase: 'test' }).npm_config_ignore_scripts, undefined);
    assert.equal(sandboxEnvironment({ phase: 'test', extraPath: ['/opt/node/bin'] }).PATH.split(':')[0], '/opt/node/bin');
  });

  it('scrubs values of secret-looking variables from text', () => {
    const secrets = secretValues({ OPENAI_API_KEY: 'sk-abcdefgh123', GITHUB_TOKEN: 'ghp_zzzzzzzz', SHORT_KEY: 'abc', PATH: '/usr/bin:/bin/secret' });
    assert.deepEqual(secrets.sort(), ['ghp_zzzzzzzz', 'sk-abcdefgh123']);
    assert.equal(redactSecrets('key=sk-abcdefgh123 and again sk-abcdefgh123', secrets), 'key=‹redacted› and again ‹redacted›');
  });
});

describe('sandbox settings', () => {
  it('defaults to auto, 1 CPU, 1 GiB, 256 processes, 120 s, 512 MiB disk, 1 MiB output, the offline image', () => {
    const s = sandboxSettingsFromEditor({});
    assert.deepEqual(s, {
      mode: 'auto',
      limits: { cpus: 1, memoryMb: 1024, pids: 256, timeoutSeconds: 120, diskMb: 512, outputBytes: 1024 * 1024 },
      images: { node: '', python: '' },
      allowNetworkForInstall: false,
    });
  });

  it("reads the editor's section and clamps numbers to their bounds", () => {
    const s = sandboxSettingsFromEditor({
      sandbox: { mode: 'bwrap', memoryMb: 1, pids: 10 ** 9, timeoutSeconds: 9, image: { node: ' node:20 ', python: 3 }, allowNetworkForInstall: true },
    });
    assert.equal(s.mode, 'bwrap');
    assert.equal(s.limits.memoryMb, 64);
    assert.equal(s.limits.pids, 32768);
    assert.equal(s.limits.timeoutSeconds, 9);
    assert.deepEqual(s.images, { node: 'node:20', python: '' });
    assert.equal(s.allowNetworkForInstall, true);
  });

  it('reads QLP_SANDBOX_* and refuses malformed values in one sentence', () => {
    const s = sandboxSettingsFromEnvironment({
      QLP_SANDBOX_MODE: 'docker',
      QLP_SANDBOX_MEMORY_MB: '256',
      QLP_SANDBOX_OUTPUT_KB: '64',
      QLP_SANDBOX_IMAGE_PYTHON: 'python:3.12-slim',
      QLP_SANDBOX_ALLOW_NETWORK_FOR_INSTALL: '1',
    });
    assert.equal(s.mode, 'docker');
    assert.equal(s.limits.memoryMb, 256);
    assert.equal(s.limits.outputBytes, 64 * 1024);
    assert.equal(s.images.python, 'python:3.12-slim');
    assert.equal(s.allowNetworkForInstall, true);
    assert.throws(() => sandboxSettingsFromEnvironment({ QLP_SANDBOX_MODE: 'vm' }), /^Error: QLP_SANDBOX_MODE must be one of auto, docker, bwrap, got 'vm'\.$/);
    assert.throws(() => sandboxSettingsFromEnvironment({ QLP_SANDBOX_CPUS: 'lots' }), /QLP_SANDBOX_CPUS must be a positive number/);
    assert.throws(() => sandboxSettingsFromEnvironment({ QLP_SANDBOX_ALLOW_NETWORK_FOR_INSTALL: 'yes' }), /must be true or false/);
  });
});
