// The tolerant parsers on real-world model noise: prose, fences missing or extra, CRLF, language
// tags where a path was expected, truncation, duplicates; and the plan out of tools or text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractFile, extractFiles, joinContinuation } from '../../../language-server/src/generate/fileOutput';
import { checkGeneratedPath } from '../../../language-server/src/generate/pathSafety';
import { kindOfPath, parsePlan } from '../../../language-server/src/generate/planParser';
import { detectStack, stackById } from '../../../language-server/src/generate/stacks';

const code = 'export function add(a, b) {\n  return a + b;\n}\n';

describe('one file out of an answer', () => {
  it('takes the fenced block and drops the prose around it', () => {
    assert.deepEqual(extractFile(`Sure! Here it is:\n\`\`\`js\n${code}\`\`\`\nLet me know.`, 'src/index.js'), { content: code, complete: true });
  });
  it('takes a bare answer with no fences as the file', () => {
    assert.deepEqual(extractFile(code, 'src/index.js'), { content: code, complete: true });
  });
  it('normalizes CRLF', () => {
    assert.equal(extractFile(`\`\`\`src/index.js\r\n${code.replace(/\n/g, '\r\n')}\`\`\`\r\n`, 'src/index.js').content, code);
  });
  it('picks the block named for the file over a longer one, and the last of duplicates', () => {
    const text = `\`\`\`test/x.test.js\n${'// long\n'.repeat(20)}\`\`\`\n\`\`\`src/index.js\nold\n\`\`\`\nBetter:\n\`\`\`src/index.js\n${code}\`\`\``;
    assert.equal(extractFile(text, 'src/index.js').content, code);
  });
  it('finds the path on the line before the block or in a first-line comment, which it removes', () => {
    assert.equal(extractFile(`**src/index.js**\n\`\`\`javascript\n${code}\`\`\``, 'src/index.js').content, code);
    assert.equal(extractFile(`\`\`\`js\n// src/index.js\n${code}\`\`\``, 'src/index.js').content, code);
    assert.equal(extractFile(`\`\`\`python\n#!/usr/bin/env python3\nprint(1)\n\`\`\``, 'bin/x.py').content, '#!/usr/bin/env python3\nprint(1)\n');
  });
  it('reports a block cut off by the length limit, and joins the continuation', () => {
    const first = `\`\`\`src/index.js\nexport function add(a, b) {\n`;
    assert.equal(extractFile(first, 'src/index.js').complete, false);
    const joined = joinContinuation(first, '```js\n  return a + b;\n}\n```\n');
    assert.deepEqual(extractFile(joined, 'src/index.js'), { content: code, complete: true });
  });
  it('keeps longer fences whole (a README with code blocks inside)', () => {
    const readme = '# x\n\n```sh\nnpm test\n```\n';
    assert.equal(extractFile(`\`\`\`\`README.md\n${readme}\`\`\`\`\n`, 'README.md').content, readme);
  });
});

describe('many files out of an answer', () => {
  it('maps blocks to the paths they name, later duplicates winning, and counts unnamed blocks', () => {
    const { files, unnamed } = extractFiles(
      `\`\`\`a.js\n1\n\`\`\`\n\`\`\`python\nno path\n\`\`\`\nFile: b/c.py\n\`\`\`python\n2\n\`\`\`\n\`\`\`a.js\n3\n\`\`\``,
    );
    assert.deepEqual(
      [...files].map(([p, f]) => [p, f.content]),
      [
        ['a.js', '3\n'],
        ['b/c.py', '2\n'],
      ],
    );
    assert.equal(unnamed, 1);
  });
});

describe('paths', () => {
  it('normalizes harmless forms', () => {
    assert.equal(checkGeneratedPath('./src/./a.js').path, 'src/a.js');
    assert.equal(checkGeneratedPath('src\\a.js').path, 'src/a.js');
    assert.equal(checkGeneratedPath(' `src/a.js` ').path, 'src/a.js');
  });
  it('refuses what escapes or misleads', () => {
    for (const bad of [
      '../a',
      'a/../../b',
      '/abs',
      'C:/x',
      'c:x',
      '~/x',
      '.git/config',
      'a/.git/x',
      'con',
      'aux.js',
      'a:b',
      'a./b',
      'a /b',
      'a//b',
      '',
      'http://x/y',
      'a\u0007b',
      'x'.repeat(300),
    ]) {
      assert.ok(checkGeneratedPath(bad).refused, `${JSON.stringify(bad)} should be refused`);
    }
  });
});

describe('plans', () => {
  const profile = stackById('node-cli');
  it("reads a tool call, adds the stack's required files, and infers kinds", () => {
    const { plan, notices } = parsePlan(
      { text: '', toolCalls: [{ name: 'write_plan', arguments: JSON.stringify({ summary: 's', files: ['src/index.js', 'test/a.test.js'] }) }] },
      profile,
      60,
    );
    assert.deepEqual(
      plan.files.slice(0, 2).map((f) => [f.path, f.kind]),
      [
        ['src/index.js', 'code'],
        ['test/a.test.js', 'test'],
      ],
    );
    assert.ok(plan.files.some((f) => f.path === 'package.json'));
    assert.match(notices.join('\n'), /Added package\.json/);
    assert.equal(plan.commands.test, 'npm test');
  });
  it('reads JSON in prose with trailing commas and comments (repaired)', () => {
    const text = 'Plan:\n```json\n{\n  // files\n  "summary": "s",\n  "files": [{"path": "src/index.js", "purpose": "p", "kind": "code"},],\n}\n```';
    assert.equal(parsePlan({ text, toolCalls: [] }, profile, 60).plan.files[0]!.path, 'src/index.js');
  });
  it('says clearly when there is no plan at all', () => {
    assert.throws(() => parsePlan({ text: 'I cannot help with that.', toolCalls: [] }, profile, 60), /no JSON object/);
    assert.throws(() => parsePlan({ text: '{"summary": "x"}', toolCalls: [] }, profile, 60), /no "files" list/);
  });
  it('kinds from paths', () => {
    assert.deepEqual(['tests/test_api.py', 'app/main.py', 'README.md', 'requirements.txt', 'pyproject.toml', 'src/a.spec.ts'].map(kindOfPath), [
      'test',
      'code',
      'doc',
      'config',
      'config',
      'test',
    ]);
  });
});

describe('stacks', () => {
  it('detects the stack from the requirements', () => {
    assert.equal(detectStack('A REST API in Python with FastAPI for todo items').profile.id, 'python-fastapi');
    assert.equal(detectStack('A TypeScript HTTP service with Fastify').profile.id, 'node-ts-service');
    assert.equal(detectStack('A command-line tool in Node.js that counts words').profile.id, 'node-cli');
    assert.equal(detectStack('A Python CLI that renames files').profile.id, 'python-cli');
    assert.throws(() => stackById('cobol'), /not a stack/);
  });
});
