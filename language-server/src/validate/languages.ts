// Which validator family a file belongs to, from its name.
import { basename, extname } from 'node:path';
import type { FileLanguage } from './model';

const byExtension: Record<string, FileLanguage> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.json': 'json',
  '.jsonc': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.dockerfile': 'dockerfile',
};

export function languageOf(path: string): FileLanguage {
  const name = basename(path);
  if (/^(Dockerfile|Containerfile)(\..+)?$/.test(name)) return 'dockerfile';
  if (name.endsWith('.d.ts')) return 'typescript';
  return byExtension[extname(name).toLowerCase()] ?? 'text';
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
