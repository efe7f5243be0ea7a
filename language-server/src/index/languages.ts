// Which language a file is, and which tree-sitter grammar (if any) chunks it by structure.

export interface LanguageInfo {
  id: string;
  /** The grammar's wasm name in tree-sitter-wasms (`tree-sitter-<grammar>.wasm`). */
  grammar?: string;
}

const byExtension: Record<string, LanguageInfo> = {
  ts: { id: 'typescript', grammar: 'typescript' },
  mts: { id: 'typescript', grammar: 'typescript' },
  cts: { id: 'typescript', grammar: 'typescript' },
  tsx: { id: 'typescriptreact', grammar: 'tsx' },
  js: { id: 'javascript', grammar: 'javascript' },
  mjs: { id: 'javascript', grammar: 'javascript' },
  cjs: { id: 'javascript', grammar: 'javascript' },
  jsx: { id: 'javascriptreact', grammar: 'javascript' },
  py: { id: 'python', grammar: 'python' },
  pyi: { id: 'python', grammar: 'python' },
  go: { id: 'go', grammar: 'go' },
  java: { id: 'java', grammar: 'java' },
  rs: { id: 'rust', grammar: 'rust' },
  cs: { id: 'csharp', grammar: 'c_sharp' },
  c: { id: 'c', grammar: 'c' },
  h: { id: 'c', grammar: 'cpp' },
  cc: { id: 'cpp', grammar: 'cpp' },
  cpp: { id: 'cpp', grammar: 'cpp' },
  cxx: { id: 'cpp', grammar: 'cpp' },
  hpp: { id: 'cpp', grammar: 'cpp' },
  hh: { id: 'cpp', grammar: 'cpp' },
};

const plain: Record<string, string> = {
  md: 'markdown', json: 'json', yaml: 'yaml', yml: 'yaml', toml: 'toml', html: 'html', css: 'css', scss: 'scss',
  sh: 'shellscript', rb: 'ruby', php: 'php', kt: 'kotlin', swift: 'swift', sql: 'sql', txt: 'plaintext', vue: 'vue',
};

export function languageOf(path: string): LanguageInfo {
  const dot = path.lastIndexOf('.');
  const ext = dot >= 0 ? path.slice(dot + 1).toLowerCase() : '';
  return byExtension[ext] ?? { id: plain[ext] ?? (ext || 'plaintext') };
}

/** The grammars QLP ships (copied beside the bundles). */
export const shippedGrammars = [...new Set(Object.values(byExtension).map((l) => l.grammar!))];
