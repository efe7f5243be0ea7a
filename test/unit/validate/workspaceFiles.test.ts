import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listWorkspaceFiles } from '../../../language-server/src/validate/workspaceFiles';
import { writeProject } from '../../support/projects';

describe('workspace files', () => {
  it('respects .gitignore files at every level, with negations', async () => {
    const root = writeProject({
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'src/.gitignore': 'generated.ts\n',
      'src/app.ts': '',
      'src/generated.ts': '',
      'build/out.js': '',
      'debug.log': '',
      'keep.log': '',
      'lib/generated.ts': '',
    });
    const { files } = await listWorkspaceFiles(root);
    assert.deepEqual(
      files.map((f) => f.path),
      ['.gitignore', 'keep.log', 'lib/generated.ts', 'src/.gitignore', 'src/app.ts'],
    );
  });

  it('leaves out dependencies, virtual environments and VCS data, and binary files', async () => {
    const root = writeProject({
      'node_modules/x/index.js': '',
      '.venv/lib/site.py': '',
      '.git/config': '',
      'pkg/__pycache__/m.pyc': '',
      'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      'main.py': 'print(1)\n',
    });
    const { files } = await listWorkspaceFiles(root);
    assert.deepEqual(
      files.map((f) => [f.path, f.language]),
      [['main.py', 'python']],
    );
  });

  it('reports files over the size limit instead of reading them', async () => {
    const root = writeProject({ 'big.json': 'x'.repeat(2048), 'small.json': '{}' });
    const { files, notices } = await listWorkspaceFiles(root, { maxFileBytes: 1024 });
    assert.deepEqual(
      files.map((f) => f.path),
      ['small.json'],
    );
    assert.deepEqual(
      notices.map((n) => [n.file, n.severity, n.code]),
      [['big.json', 'info', 'file-too-large']],
    );
  });
});
