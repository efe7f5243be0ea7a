// Which language a file is, from its name: one table for every reader. The index reports `id`
// and chunks by `grammar`; generation reads tests with `grammar`; validation picks its tools by
// `validator`.
import { basename } from 'node:path';
import type { ValidatedLanguage } from '../../../protocol/validate';

/** A tree-sitter grammar QLP ships (`tree-sitter-<grammar>.wasm` from tree-sitter-wasms). */
export type Grammar = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java' | 'rust' | 'c_sharp' | 'c' | 'cpp';

export interface Language {
  /** VS Code's language id (for an extension the table lacks: the extension itself). */
  id: string;
  /** The grammar that reads its structure, if QLP ships one. */
  grammar?: Grammar;
  /** The family of validation tools that check it; `text` when none does. */
  validator: ValidatedLanguage | 'text';
}

// extensions (space-separated), id, grammar, validator
const table: Array<[string, string, Grammar | undefined, Language['validator']]> = [
  ['ts mts cts', 'typescript', 'typescript', 'typescript'],
  ['tsx', 'typescriptreact', 'tsx', 'typescript'],
  ['js mjs cjs', 'javascript', 'javascript', 'javascript'],
  ['jsx', 'javascriptreact', 'javascript', 'javascript'],
  ['py pyi', 'python', 'python', 'python'],
  ['go', 'go', 'go', 'text'],
  ['java', 'java', 'java', 'text'],
  ['rs', 'rust', 'rust', 'text'],
  ['cs', 'csharp', 'c_sharp', 'text'],
  ['c', 'c', 'c', 'text'],
  // The C++ grammar reads headers, which may be C or C++.
  ['h', 'c', 'cpp', 'text'],
  ['cc cpp cxx hpp hh', 'cpp', 'cpp', 'text'],
  ['json', 'json', undefined, 'json'],
  ['jsonc', 'jsonc', undefined, 'json'],
  ['yaml yml', 'yaml', undefined, 'yaml'],
  ['toml', 'toml', undefined, 'toml'],
  ['dockerfile', 'dockerfile', undefined, 'dockerfile'],
  ['md', 'markdown', undefined, 'text'],
  ['html', 'html', undefined, 'text'],
  ['css', 'css', undefined, 'text'],
  ['scss', 'scss', undefined, 'text'],
  ['sh', 'shellscript', undefined, 'text'],
  ['rb', 'ruby', undefined, 'text'],
  ['php', 'php', undefined, 'text'],
  ['kt', 'kotlin', undefined, 'text'],
  ['swift', 'swift', undefined, 'text'],
  ['sql', 'sql', undefined, 'text'],
  ['txt', 'plaintext', undefined, 'text'],
  ['vue', 'vue', undefined, 'text'],
];

const byExtension = new Map<string, Language>(
  table.flatMap(([extensions, id, grammar, validator]) =>
    extensions.split(' ').map((ext): [string, Language] => [ext, grammar ? { id, grammar, validator } : { id, validator }]),
  ),
);

const dockerfile = byExtension.get('dockerfile')!;

export function languageOf(path: string): Language {
  const name = basename(path);
  if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name)) return dockerfile;
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return byExtension.get(ext) ?? { id: ext || 'plaintext', validator: 'text' };
}

/** JSON files that by convention allow comments and trailing commas. */
export function isJsonWithComments(path: string): boolean {
  const name = basename(path);
  return (
    path.endsWith('.jsonc') ||
    /^(tsconfig|jsconfig)(\..+)?\.json$/.test(name) ||
    /^\.(eslintrc|babelrc|swcrc)(\.json)?$/.test(name) ||
    /(^|\/)\.vscode\/[^/]+\.json$/.test(path) ||
    /(^|\/)\.devcontainer(\/|\.json$)/.test(path)
  );
}
