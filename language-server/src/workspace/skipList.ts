// Folders that hold no code of the workspace: version-control data, installed dependencies,
// virtual environments and tool caches. Validation, the sandbox and the index leave them out;
// each may add its own (the sandbox its test outputs, the index build outputs). Capsules do not
// use it: a capsule holds what git would, so only .gitignore decides there.
export const skippedFolders: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.qlp',
];
