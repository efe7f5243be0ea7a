// The one adapter over web-tree-sitter: loads the runtime and the grammars (wasm) once per thread.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Parser from 'web-tree-sitter';

export type SyntaxNode = Parser.SyntaxNode;

/** Bundled: the wasm files sit beside the bundle; from sources: in node_modules. */
function wasmDirs(): { runtime: string; grammars: string } {
  const bundled = join(__dirname, 'grammars');
  if (existsSync(join(bundled, 'tree-sitter.wasm'))) return { runtime: bundled, grammars: bundled };
  return {
    runtime: dirname(require.resolve('web-tree-sitter/package.json')),
    grammars: join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out'),
  };
}

let ready: Promise<void> | undefined;
const languages = new Map<string, Promise<Parser.Language>>();
const parsers = new Map<string, Parser>();

async function init(): Promise<void> {
  const dirs = wasmDirs();
  ready ??= Parser.init({ locateFile: (name: string) => join(dirs.runtime, name) });
  await ready;
}

/** A parser for the grammar, reused across files (one per grammar, this thread only). */
export async function parserFor(grammar: string): Promise<Parser> {
  await init();
  const existing = parsers.get(grammar);
  if (existing) return existing;
  let language = languages.get(grammar);
  if (!language) {
    language = Parser.Language.load(join(wasmDirs().grammars, `tree-sitter-${grammar}.wasm`));
    languages.set(grammar, language);
  }
  const parser = new Parser();
  parser.setLanguage(await language);
  parsers.set(grammar, parser);
  return parser;
}

/** Parses text and hands the tree's root to `use`; the tree is freed afterwards. */
export async function withTree<T>(grammar: string, text: string, use: (root: SyntaxNode) => T): Promise<T> {
  const parser = await parserFor(grammar);
  const tree = parser.parse(text);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}
