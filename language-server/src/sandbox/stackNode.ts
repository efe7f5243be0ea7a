// The Node.js profile: package.json's test script (with coverage when it is plain `node --test` or
// the project uses c8), else `node --test` over the files Node's runner finds by name.
import type { ProjectFiles, ProjectPlan, StackProfile } from './detect';
import { existingDir } from './detect';
import { paths } from './layout';
import { SandboxInputError } from './types';

/** File names `node --test` runs when given no patterns (Node 20). */
const nodeTestFile = /(^|\/)(test|[^/]*[.\-_]test|test-[^/]*)\.[cm]?js$|(^|\/)test\/.*\.[cm]?js$/;
/** A plain `node --test …` script: no shell operators, so flags can be added safely. */
const plainNodeTest = /^node --test((?:\s+[\w./*@=:-]+)*)\s*$/;
const npmPlaceholder = /no test specified/;

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackage(files: ProjectFiles): PackageJson {
  const text = files.read('package.json') ?? '';
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as PackageJson;
  } catch (err) {
    throw new SandboxInputError(`package.json in ${files.dir} is not valid JSON (${(err as Error).message.split('\n')[0]}); fix it to run the tests.`);
  }
}

export const nodeProfile: StackProfile = {
  id: 'node',
  matches: (files) => files.has('package.json'),
  plan(files): ProjectPlan {
    const pkg = readPackage(files);
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    const script = pkg.scripts?.test?.trim();
    let test: ProjectPlan['test'];
    if (script && !npmPlaceholder.test(script)) {
      const plain = plainNodeTest.exec(script);
      if (/^c8\b/.test(script)) test = { command: 'npm test', coverage: 'c8', env: {} };
      else if ('c8' in deps) test = { command: 'c8 --reporter=text-summary npm test', coverage: 'c8', env: {} };
      else if (plain) test = { command: `node --test --experimental-test-coverage${plain[1]}`, coverage: 'node', env: {} };
      else test = { command: 'npm test', coverage: null, env: {} };
    } else if (files.paths.some((p) => nodeTestFile.test(p))) {
      test = { command: 'node --test --experimental-test-coverage', coverage: 'node', env: {} };
    } else {
      throw new SandboxInputError(`No tests found in ${files.dir}: package.json has no test script and there are no test files (*.test.js, test/*.js).`);
    }
    const names = Object.keys(deps);
    if (!names.length) return { stack: 'node', install: null, test };
    const lock = files.has('package-lock.json') || files.has('npm-shrinkwrap.json');
    return {
      stack: 'node',
      test,
      install: {
        command: lock ? 'npm ci --ignore-scripts --no-audit --no-fund' : 'npm install --ignore-scripts --no-audit --no-fund --no-save',
        target: paths.nodeModules,
        keyFiles: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'].filter((f) => files.has(f)),
        keyOnInputs: Object.values(deps).some((spec) => /^(file:|link:|\.{0,2}\/)/.test(spec)),
        existing: existingDir(files.dir, 'node_modules'),
        offlineFlag: '--offline',
      },
    };
  },
};
