import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkFile } from '../../../language-server/src/index/chunker';
import { terms, words } from '../../../language-server/src/index/tokens';

const symbols = async (path: string, text: string) => (await chunkFile(path, text)).filter((c) => c.symbol).map((c) => c.symbol);

describe('index: tokens', () => {
  it('splits identifiers on camelCase, acronyms, snake_case and digits', () => {
    assert.deepEqual(words('parseHTTPResponse2 max_retry_count'), ['parse', 'http', 'response', '2', 'max', 'retry', 'count']);
  });
  it('stems word forms together and drops stop words', () => {
    assert.deepEqual(terms('the client disconnects'), terms('client disconnected'));
    assert.equal(terms('piping')[0], terms('pipes')[0]);
    assert.deepEqual(terms('of the and'), []);
  });
});

describe('index: chunking by structure', () => {
  it('keeps a TypeScript function whole, with the doc comment above it', async () => {
    const text =
      'import x from "y";\n\n/**\n * Adds numbers.\n */\nexport function add(a: number, b: number) {\n  return a + b;\n}\n\nclass Box {\n  open() { return 1; }\n}\n';
    const chunks = await chunkFile('src/a.ts', text);
    const add = chunks.find((c) => c.symbol === 'add');
    assert.ok(add);
    assert.deepEqual([add.startLine, add.endLine, add.language], [3, 8, 'typescript']);
    assert.match(add.text, /Adds numbers/);
    assert.ok(chunks.some((c) => c.symbol === 'Box'));
  });

  it('finds functions bound by assignment (x.y = function …) across a blank line after the comment', async () => {
    const text = "'use strict';\n\n/**\n * Send a response.\n */\n\nres.send = function send(body) {\n  return body;\n};\n";
    const [chunk] = (await chunkFile('lib/res.js', text)).filter((c) => c.symbol);
    assert.deepEqual([chunk.symbol, chunk.startLine, chunk.endLine], ['res.send', 3, 9]);
  });

  it('reads Python, Go, Java, Rust, C#, C and C++', async () => {
    assert.deepEqual(await symbols('a.py', 'def f():\n    """Doc."""\n    return 1\n\nclass K:\n    def m(self):\n        pass\n'), ['f', 'K']);
    assert.deepEqual(await symbols('a.go', 'package main\n\nfunc Hello() string {\n\treturn "hi"\n}\n'), ['Hello']);
    assert.deepEqual(await symbols('A.java', 'class A {\n  int f() { return 1; }\n}\n'), ['A']);
    assert.deepEqual(await symbols('a.rs', 'fn main() {\n    println!("x");\n}\n'), ['main']);
    assert.deepEqual(await symbols('a.cs', 'class C {\n  void M() {}\n}\n'), ['C']);
    assert.deepEqual(await symbols('a.c', 'int add(int a, int b) {\n  return a + b;\n}\n'), ['add']);
    assert.deepEqual(await symbols('a.cpp', 'namespace n {\nint twice(int a) { return 2 * a; }\n}\n'), ['n']);
  });

  it('cuts a long class into its methods, and other files into line windows', async () => {
    const methods = Array.from({ length: 30 }, (_, i) => `  m${i}() {\n    const a = ${i};\n    const b = a * 2;\n    return a + b;\n  }\n`).join('');
    const chunks = await chunkFile('big.ts', `class Big {\n${methods}}\n`);
    assert.ok(
      chunks.some((c) => c.symbol === 'Big.m29'),
      chunks.map((c) => c.symbol).join(),
    );
    const text = Array.from({ length: 130 }, (_, i) => `line ${i}`).join('\n');
    const windows = await chunkFile('notes.txt', text);
    assert.ok(windows.length >= 2);
    assert.equal(windows[0].startLine, 1);
    assert.equal(windows.at(-1)!.endLine, 130);
    assert.ok(windows.every((w) => w.symbol === '' && w.language === 'plaintext'));
  });

  it('gives each function of a minified line its own text, not the whole line again', async () => {
    const fns = Array.from({ length: 60 }, (_, i) => `function f${i}(a){return a*${i}+g(a,"${'x'.repeat(200)}")}`);
    const line = fns.join(';');
    const chunks = await chunkFile('bundle.js', `${line}\n`);
    const f7 = chunks.find((c) => c.symbol === 'f7');
    assert.equal(f7?.text, fns[7]);
    assert.equal(f7?.startLine, 1);
    const total = chunks.reduce((n, c) => n + c.text.length, 0);
    assert.ok(total <= 2 * line.length, `${total} characters of chunks for a line of ${line.length}`);
    // Ordinary code keeps whole lines: indentation and the doc comment above.
    const [method] = (await chunkFile('a.ts', 'class A {\n  /** Doubles. */\n  twice(x: number) {\n    return 2 * x;\n  }\n}\n')).filter(
      (c) => c.symbol === 'A',
    );
    assert.match(method.text, /^class A \{\n {2}\/\*\* Doubles/);
  });
});
