// Names capsules use, as plain patterns (no schema library): the extension imports these too.

/** Capsule ids are folder-safe: lowercase letters, digits and inner dashes. */
export const capsuleIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
export const capsuleTagPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * A relative path that stays inside the folder it is joined to: `/`-separated, no empty, `.` or
 * `..` segment, no leading slash or drive letter, no backslash or control character.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 4096) return false;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return false;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
