// Keeps known secrets out of anything written to an output channel (e.g. a verbose LSP trace,
// which would otherwise print the keys the extension hands to the server).

export const redactedMark = '‹redacted›';

/** Replaces every occurrence of each secret (of 8+ characters) in `text`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 8 && result.includes(secret)) result = result.split(secret).join(redactedMark);
  }
  return result;
}
