// JSON out of model text: the fenced block or the outermost object, repaired by `jsonrepair`
// (trailing commas, single quotes, comments, unquoted keys, a truncated tail).
import { jsonrepair } from 'jsonrepair';

/** The first JSON object found in `text`, or undefined when there is none worth parsing. */
export function extractJsonObject(text: string): unknown {
  const fenced = /```(?:json|jsonc|javascript|js)?[^\n]*\n([\s\S]*?)(?:```|$)/i.exec(text)?.[1];
  const candidates = [fenced, outermostObject(text)].filter((c): c is string => !!c && c.includes('{'));
  for (const candidate of candidates) {
    const parsed = parseLenient(candidate);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  }
  return undefined;
}

function outermostObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  const end = text.lastIndexOf('}');
  return end > start ? text.slice(start, end + 1) : text.slice(start);
}

export function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(jsonrepair(text));
    } catch {
      return undefined;
    }
  }
}
