// The cheap first look at a pushed manifest: how many paths it lists, how long and how deep each
// is. It runs before the full schema check, the digest and any database work, whose cost grows
// with the paths, so an oversized list is refused in milliseconds.
import { BadRequest } from './errors';
import { manifestLimits } from './limits';

export function checkManifestShape(body: unknown, limits = manifestLimits): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the manifest must be a JSON object');
  for (const list of ['files', 'omitted'] as const) {
    const entries = (body as Record<string, unknown>)[list];
    // A missing or mistyped list is the schema check's to name.
    if (!Array.isArray(entries)) continue;
    if (entries.length > limits.maxFiles)
      throw new BadRequest(`the manifest's ${list} list has ${entries.length} entries; at most ${limits.maxFiles} are allowed`);
    for (let i = 0; i < entries.length; i++) {
      const path = (entries[i] as { path?: unknown } | null)?.path;
      if (typeof path !== 'string') continue;
      if (path.length > limits.maxPathLength)
        throw new BadRequest(`${list}/${i}/path has ${path.length} characters; at most ${limits.maxPathLength} are allowed`);
      if (depthOver(path, limits.maxPathDepth)) throw new BadRequest(`${list}/${i}/path is more than ${limits.maxPathDepth} folders deep`);
    }
  }
}

/** Whether `path` has more than `max` segments; looks no further than the segment past `max`. */
function depthOver(path: string, max: number): boolean {
  let depth = 1;
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) if (++depth > max) return true;
  return false;
}
