// Binary or text, decided as git decides: a NUL byte among the first 8,000 bytes.
const firstFewBytes = 8000;

export function looksBinary(data: Uint8Array): boolean {
  return data.subarray(0, firstFewBytes).includes(0);
}
