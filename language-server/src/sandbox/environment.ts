// The environment of sandboxed code is an allow-list built from nothing: no variable of this
// process (keys, tokens, paths, proxies) ever reaches it. Output is scrubbed of known secrets
// anyway, in case a project file carried one.

import { paths } from './layout';

const basePath = `${paths.nodeModules}/.bin:/usr/local/bin:/usr/bin:/bin`;

export interface SandboxEnvOptions {
  phase: 'install' | 'test';
  /** Extra folders for Python imports (installed dependencies), inside the sandbox. */
  pythonPath?: string[];
  /** Extra folders for programs, searched first (e.g. a Node.js bound from outside /usr). */
  extraPath?: string[];
}

/** Every variable the code inside sees. */
export function sandboxEnvironment(options: SandboxEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...(options.extraPath ?? []), basePath].join(':'),
    HOME: '/tmp',
    TMPDIR: '/tmp',
    USER: 'sandbox',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    COVERAGE_FILE: '/tmp/.coverage',
    npm_config_cache: '/tmp/.npm',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_loglevel: 'warn',
  };
  if (options.phase === 'install') {
    // Lifecycle scripts run package code: never during installs.
    env.npm_config_ignore_scripts = 'true';
    env.npm_config_cache = '/cache/npm';
    env.PIP_CACHE_DIR = '/cache/pip';
  }
  if (options.pythonPath?.length) env.PYTHONPATH = options.pythonPath.join(':');
  return env;
}

const secretName = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;

/** Values of this process's variables that look like secrets (long enough to be worth hiding). */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => secretName.test(name) && typeof value === 'string' && value.length >= 8)
    .map(([, value]) => value as string);
}

/** Replaces every occurrence of a secret value with a marker. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join('‹redacted›');
  return result;
}
