// The Node.js stack detector: package.json's test script (with coverage when it is plain `node --test` or
// the project uses c8), else the jest or vitest it declares, else `node --test` over the files
// Node's runner finds by name. node:test
// gets its reporters through NODE_OPTIONS (so they reach a runner started by any script): spec
// on stdout for people, QLP's JUnit reporter for the report; a script that is plainly jest or
// vitest gets their own report flags.
import type { ProjectFiles, SandboxPlan, StackDetector, TestRunner } from './detect';
import { existingDir } from './detect';
import { paths } from './layout';
import { reportDir } from './reportBlocks';
import { toolPath } from './sandboxTools';
import { nodeReporterFile } from './tools/nodeReporter';
import { SandboxInputError } from './types';

/** File names `node --test` runs when given no patterns (Node 20). */
const nodeTestFile = /(^|\/)(test|[^/]*[.\-_]test|test-[^/]*)\.[cm]?js$|(^|\/)test\/.*\.[cm]?js$/;
/** A plain `node --test …` script: no shell operators, so flags can be added safely. */
const plainNodeTest = /^node --test((?:\s+[\w./*@=:-]+)*)\s*$/;
const npmPlaceholder = /no test specified/;
/** A script that is one jest or vitest command, so `npm test -- …` adds flags to it. */
const plainJest = /^jest(\s+[\w./*@=:-]+)*\s*$/;
const plainVitest = /^vitest(\s+[\w./*@=:-]+)*\s*$/;

/** node:test's reporters, for every runner a script starts: spec for people, QLP's JUnit for the report. */
export const nodeTestReporters = `--test-reporter=spec --test-reporter-destination=stdout --test-reporter=${toolPath(nodeReporterFile)} --test-reporter-destination=stderr`;

/** A script that starts Node's runner with Node flags before `--test` (`node --import tsx --test …`). */
const nodeWithFlags = /^node((?:\s+[\w./@=:-]+)*?)\s+--test(?:\s+[\w./*@=:-]+)*\s*$/;

/** How mutation testing runs a few test files of this script. */
function scriptRunner(script: string): TestRunner {
  const node = nodeWithFlags.exec(script);
  if (node) return { name: 'node:test', nodeArgs: node[1].trim().split(/\s+/).filter(Boolean) };
  if (plainJest.test(script)) return { name: 'jest', argv: ['node_modules/.bin/jest', '--ci'] };
  if (plainVitest.test(script)) return { name: 'vitest', argv: ['node_modules/.bin/vitest', 'run'] };
  return { name: 'script', command: 'npm test' };
}

/** `npm test`, with the report flags of a script that is plainly jest or vitest. */
function npmTest(script: string): string {
  if (plainJest.test(script)) return `npm test -- --json --outputFile=${reportDir}/jest.json`;
  if (plainVitest.test(script)) return `npm test -- --reporter=default --reporter=junit --outputFile.junit=${reportDir}/vitest.xml`;
  return 'npm test';
}

/** Test files as jest and vitest find them by default. */
const anyTestFile = /(^|\/)(__tests__\/.*|[^/]*\.(test|spec))\.[cm]?[jt]sx?$/;

/** The test runner a project without a test script declares among its dependencies. */
function testRunnerDependency(deps: Record<string, string>): 'vitest' | 'jest' | undefined {
  return 'vitest' in deps ? 'vitest' : 'jest' in deps ? 'jest' : undefined;
}

/** How a declared jest or vitest runs when no script says how, with its report flags. */
function runnerWithoutScript(name: 'vitest' | 'jest', env: Record<string, string>): SandboxPlan['test'] {
  if (name === 'vitest')
    return {
      command: `node_modules/.bin/vitest run --reporter=default --reporter=junit --outputFile.junit=${reportDir}/vitest.xml`,
      runner: { name: 'vitest', argv: ['node_modules/.bin/vitest', 'run'] },
      coverage: null,
      env,
    };
  return {
    command: `node_modules/.bin/jest --ci --json --outputFile=${reportDir}/jest.json`,
    runner: { name: 'jest', argv: ['node_modules/.bin/jest', '--ci'] },
    coverage: null,
    env,
  };
}

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

export const nodeDetector: StackDetector = {
  id: 'node',
  matches: (files) => files.has('package.json'),
  plan(files): SandboxPlan {
    const pkg = readPackage(files);
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    const script = pkg.scripts?.test?.trim();
    const reporters = { NODE_OPTIONS: nodeTestReporters };
    let test: SandboxPlan['test'];
    if (script && !npmPlaceholder.test(script)) {
      const plain = plainNodeTest.exec(script);
      const runner = scriptRunner(script.replace(/^c8\s+(--[\w-]+(=\S+)?\s+)*/, ''));
      if (/^c8\b/.test(script)) test = { command: 'npm test', runner, coverage: 'c8', env: reporters };
      else if ('c8' in deps) test = { command: 'c8 --reporter=text-summary npm test', runner, coverage: 'c8', env: reporters };
      else if (plain) test = { command: `node --test --experimental-test-coverage${plain[1]}`, runner, coverage: 'node', env: reporters };
      else test = { command: npmTest(script), runner, coverage: null, env: reporters };
    } else if (testRunnerDependency(deps) && files.paths.some((p) => anyTestFile.test(p))) {
      test = runnerWithoutScript(testRunnerDependency(deps)!, reporters);
    } else if (files.paths.some((p) => nodeTestFile.test(p))) {
      test = { command: 'node --test --experimental-test-coverage', runner: { name: 'node:test', nodeArgs: [] }, coverage: 'node', env: reporters };
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
