// The one extension → language table: what the index, validation and generation read from a name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonWithComments, languageOf } from '../../../language-server/src/workspace/languages';
import { languageOf as testLanguageOf } from '../../../language-server/src/generate/testStatics';

describe('workspace languages', () => {
  it('knows which validators check each file, and which JSON allows comments', () => {
    const cases: Record<string, string> = {
      'a.tsx': 'typescript',
      'a.d.ts': 'typescript',
      'a.cjs': 'javascript',
      'a.pyi': 'python',
      Dockerfile: 'dockerfile',
      'api.Dockerfile': 'dockerfile',
      'Dockerfile.dev': 'dockerfile',
      'c.yml': 'yaml',
      'pyproject.toml': 'toml',
      '.env': 'text',
      'main.go': 'text',
    };
    for (const [path, language] of Object.entries(cases)) assert.equal(languageOf(path).validator, language, path);
    assert.equal(isJsonWithComments('tsconfig.build.json'), true);
    assert.equal(isJsonWithComments('.vscode/settings.json'), true);
    assert.equal(isJsonWithComments('package.json'), false);
  });

  it("gives the index VS Code's language id and the grammar that chunks the file", () => {
    const cases: Record<string, [string, string | undefined]> = {
      'src/App.TSX': ['typescriptreact', 'tsx'],
      'a.jsx': ['javascriptreact', 'javascript'],
      'lib/x.h': ['c', 'cpp'],
      'Program.cs': ['csharp', 'c_sharp'],
      'README.md': ['markdown', undefined],
      'conf.jsonc': ['jsonc', undefined],
      Makefile: ['plaintext', undefined],
      '.gitignore': ['gitignore', undefined],
      'v1.2/LICENSE': ['plaintext', undefined],
    };
    for (const [path, [id, grammar]] of Object.entries(cases)) assert.deepEqual([languageOf(path).id, languageOf(path).grammar], [id, grammar], path);
  });

  it('gives generation the grammar of test files it reads, none for other languages', () => {
    const cases: Record<string, string | undefined> = {
      'test_a.py': 'python',
      'a.test.mts': 'typescript',
      'a.test.tsx': 'tsx',
      'a.spec.cjs': 'javascript',
      'a_test.go': undefined,
      'notes.md': undefined,
    };
    for (const [path, language] of Object.entries(cases)) assert.equal(testLanguageOf(path), language, path);
  });
});
