// The Python stack detector: pytest when the project uses it or its tests are written for it, else unittest; coverage.py when the
// sandbox's Python has it; requirements*.txt installed with pip from wheels only (no setup.py runs).
// Both runners also write JUnit XML to the report folder: pytest with --junitxml (xunit1, which
// names each test's file) and QLP's plugin for what the XML leaves out, unittest through QLP's shim.
import type { ProjectFiles, SandboxPlan, StackDetector, TestRunner } from './detect';
import { paths } from './layout';
import { reportDir } from './reportBlocks';
import { toolPath } from './sandboxTools';
import { pytestPluginModule } from './tools/pytestPlugin';
import { unittestShimFile } from './tools/unittestShim';
import { SandboxInputError } from './types';

const pythonTestFile = /(^|\/)(test_[^/]*|[^/]*_test)\.py$/;
const requirementsFile = /^requirements[^/]*\.txt$/;

/** Exits 0 when every listed requirement is installed already (then pip is not needed at all). */
const requirementsInstalled = [
  'import importlib.metadata as m,re,sys',
  'norm=lambda n:n.lower().replace("_","-")',
  'have={norm(d.metadata["Name"] or "") for d in m.distributions()}',
  'need=[norm(re.split(r"[\\s\\[<>=!~;@]",l.split("#")[0].strip(),maxsplit=1)[0]) for f in sys.argv[1:] for l in open(f)]',
  'missing=[n for n in need if n and not n.startswith("-") and n not in have]',
  'print("to install: "+" ".join(missing) if missing else "every requirement is installed already")',
  'sys.exit(1 if missing else 0)',
].join(';');

function usesPytest(files: ProjectFiles, tests: string[]): boolean {
  if (files.has('pytest.ini') || files.paths.some((p) => /(^|\/)conftest\.py$/.test(p))) return true;
  if (
    /\[tool\.pytest/.test(files.read('pyproject.toml') ?? '') ||
    /\[tool:pytest\]/.test(files.read('setup.cfg') ?? '') ||
    /\[pytest\]/.test(files.read('tox.ini') ?? '')
  )
    return true;
  if (files.paths.some((p) => requirementsFile.test(p) && /^\s*pytest\b/m.test(files.read(p) ?? ''))) return true;
  // Test functions at module level, or test classes that are not unittest's, are pytest's to collect.
  return tests.some((p) => /^\s*(import pytest|from pytest\b)|^(async )?def test\w*\(|^class Test\w*\s*(\(\s*(object)?\s*\))?:/m.test(files.read(p) ?? ''));
}

export const pythonDetector: StackDetector = {
  id: 'python',
  matches: (files) =>
    ['pyproject.toml', 'setup.py', 'setup.cfg'].some((f) => files.has(f)) || files.paths.some((p) => requirementsFile.test(p) || p.endsWith('.py')),
  plan(files, options): SandboxPlan {
    const tests = files.paths.filter((p) => pythonTestFile.test(p));
    if (!tests.length) throw new SandboxInputError(`No tests found in ${files.dir}: no test_*.py or *_test.py files.`);
    const requirements = files.paths.filter((p) => requirementsFile.test(p)).sort();
    const wantsCoverage = options.pythonCoverage || requirements.some((p) => /^\s*(coverage|pytest-cov)\b/m.test(files.read(p) ?? ''));
    const testDir = ['tests', 'test'].find((d) => tests.some((t) => t.startsWith(`${d}/`)));
    // A tests/ folder without __init__.py is not a package: discover starts in it, and the
    // project root goes on PYTHONPATH so the tests import the code as pytest would let them.
    const pytest = usesPytest(files, tests);
    const unittestArgs = ['discover', '-v', ...(testDir && !files.has(`${testDir}/__init__.py`) ? ['-s', testDir] : [])];
    const runner = pytest
      ? `-m pytest -q -p no:cacheprovider -p ${pytestPluginModule} --junitxml=${reportDir}/pytest.xml -o junit_family=xunit1`
      : `${toolPath(unittestShimFile)} ${unittestArgs.join(' ')}`;
    const mutationRunner: TestRunner = pytest ? { name: 'pytest' } : { name: 'unittest', args: unittestArgs };
    const test = wantsCoverage
      ? {
          command: `python3 -m coverage run --source=. ${runner}; status=$?; python3 -m coverage report; (exit $status)`,
          runner: mutationRunner,
          coverage: 'coverage.py' as const,
          env: {},
        }
      : { command: `python3 ${runner}`, runner: mutationRunner, coverage: null, env: {} };
    const env = { PYTHONPATH: `${paths.work}:${paths.pythonDeps}:${paths.tools}` };
    if (!requirements.length) return { stack: 'python', install: null, test: { ...test, env } };
    const list = requirements.join(' ');
    return {
      stack: 'python',
      test: { ...test, env },
      install: {
        command: `python3 -c '${requirementsInstalled}' ${list} || python3 -m pip install --only-binary=:all: --no-compile --target ${paths.pythonDeps} ${requirements.map((r) => `-r ${r}`).join(' ')}`,
        target: paths.pythonDeps,
        keyFiles: requirements,
        keyOnInputs: requirements.some((p) => /^\s*(-e\s+)?\.{0,2}\//m.test(files.read(p) ?? '')),
        offlineFlag: '--no-index',
      },
    };
  },
};
