import type { StackProfile } from './types';

export const pythonCli: StackProfile = {
  id: 'python-cli',
  label: 'Python command-line tool',
  description: 'A command-line tool with argparse and the standard library, tested with pytest.',
  language: 'python',
  sandbox: 'python',
  signals: [/\b(cli|command[- ]line|terminal|script|tool)\b/i, /\bpython\b/i],
  commands: { install: 'pip install -e .', test: 'python -m pytest -q', run: 'python -m cli --help' },
  requiredFiles: [
    {
      path: 'pyproject.toml',
      purpose: 'Project metadata, a console script entry point, [tool.ruff] and [tool.pytest.ini_options] (testpaths = ["tests"], pythonpath = ["."]).',
      kind: 'config',
    },
    { path: 'cli/__init__.py', purpose: 'Marks the package.', kind: 'code' },
    { path: 'cli/__main__.py', purpose: 'argparse entry point: `main(argv: list[str] | None = None) -> int`.', kind: 'code' },
    { path: 'tests/test_cli.py', purpose: 'pytest tests that call `main([...])` and check output with capsys.', kind: 'test' },
    { path: 'README.md', purpose: 'Usage with examples.', kind: 'doc' },
  ],
  offlineDependencies: ['pytest'],
  rules: [
    'Standard library only (argparse, pathlib, json, …); type hints on every function.',
    'Logic in plain functions separate from argument parsing, so tests call them directly.',
    '`main` returns an exit code instead of calling sys.exit inside the logic.',
  ],
};
