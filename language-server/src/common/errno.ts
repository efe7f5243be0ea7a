// Node.js reports what went wrong with a file or a socket as an errno code ('ENOENT', 'EEXIST', …).

/** The errno code of a Node.js error, if any. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
