// The public interface of a written file, for the prompts of the files written after it: its
// declaration lines (functions, classes, exports, routes) without bodies. Cheap and language-
// agnostic on purpose; the model only needs the names and signatures.

const declaration = [
  /^\s*(export\s+)?(default\s+)?(async\s+)?function\*?\s+\w+/,
  /^\s*(export\s+)?(default\s+)?(abstract\s+)?class\s+\w+/,
  /^\s*export\s+(const|let|var|type|interface|enum)\s+\w+/,
  /^\s*export\s*\{/,
  /^\s*(export\s+)?(interface|type)\s+\w+/,
  /^\s*module\.exports\b/,
  /^\s*(async\s+)?def\s+\w+/,
  /^\s*class\s+\w+/,
  /^\s*@\w+(\.\w+)*\(/,
  /^[A-Z_][A-Z0-9_]*\s*[:=]/,
  /^\s*(public|protected)\s+[\w<>[\], ]+\s+\w+\s*\(/,
];

const maxLines = 60;

export function outlineOf(path: string, content: string): string {
  if (/\.(json|toml|ya?ml|txt|cfg|ini|md)$/i.test(path) || /(^|\/)(Dockerfile|Makefile)$/.test(path)) {
    return content.length <= 1500 ? content.trimEnd() : `${content.slice(0, 1500).trimEnd()}\n…`;
  }
  const lines = content.split('\n').filter((line) => declaration.some((d) => d.test(line)));
  const shown = lines.slice(0, maxLines).map((l) => l.replace(/\s*\{\s*$/, '').trimEnd());
  if (lines.length > maxLines) shown.push(`… ${lines.length - maxLines} more`);
  return shown.join('\n') || '(no declarations)';
}
