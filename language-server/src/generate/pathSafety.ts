// Paths a model proposes are untrusted: each is normalized to a `/`-separated relative path that
// stays inside the target folder, or refused with the reason. Refused: absolute paths, drive
// letters and UNC names, `..`, `~`, `.git` internals, Windows device names, control characters,
// alternate data streams, and names too long for common filesystems.
import { GenerationInputError } from './errors';

const maxPathLength = 240;
const maxSegmentLength = 120;
const deviceName = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

export interface PathVerdict {
  path?: string;
  refused?: string;
}

/** The safe form of `raw`, or why it is refused. */
export function checkGeneratedPath(raw: unknown): PathVerdict {
  if (typeof raw !== 'string') return { refused: 'is not a string' };
  const trimmed = raw.trim().replace(/^`+|`+$/g, '');
  if (!trimmed) return { refused: 'is empty' };
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return { refused: 'contains control characters' };
  // Backslashes are folded to `/` before any check, so `..\\x` is caught as `..`.
  const slashed = trimmed.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { refused: 'is absolute' };
  if (/^[A-Za-z]:/.test(slashed)) return { refused: 'names a drive' };
  if (slashed.startsWith('~')) return { refused: 'starts at a home folder (~)' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(slashed)) return { refused: 'is a URL' };
  if (slashed.endsWith('/')) return { refused: 'names a folder, not a file' };
  const segments = slashed.split('/').filter((s) => s !== '.');
  if (!segments.length) return { refused: 'names no file' };
  for (const segment of segments) {
    if (segment === '') return { refused: 'has an empty segment' };
    if (segment === '..') return { refused: 'climbs out of the folder (..)' };
    if (segment.toLowerCase() === '.git') return { refused: 'writes into .git' };
    if (segment.includes(':')) return { refused: 'contains a colon' };
    if (deviceName.test(segment)) return { refused: `names the device ${segment}` };
    if (/[. ]$/.test(segment)) return { refused: 'has a segment ending in a dot or space' };
    if (/[<>"|?*]/.test(segment)) return { refused: 'contains a character Windows forbids in names' };
    if (segment.length > maxSegmentLength) return { refused: 'has a name that is too long' };
  }
  const path = segments.join('/');
  if (path.length > maxPathLength) return { refused: 'is too long' };
  return { path };
}

/** The safe form of `raw`; throws a one-sentence error naming it otherwise. */
export function safeGeneratedPath(raw: unknown): string {
  const verdict = checkGeneratedPath(raw);
  if (verdict.path === undefined)
    throw new GenerationInputError(`The model proposed the path ${JSON.stringify(String(raw).slice(0, 120))}, which ${verdict.refused}; it was not written.`);
  return verdict.path;
}
