// Reads a zip's entries (name → bytes and Unix mode) with yauzl, for checking exports.
import yauzl from 'yauzl';

export async function readZip(path: string): Promise<Record<string, { data: Buffer; mode: number }>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries: Record<string, { data: Buffer; mode: number }> = {};
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      entries[entry.fileName] = { data: Buffer.concat(chunks), mode: (entry.externalFileAttributes >>> 16) & 0o777 };
    }
  } finally {
    zip.close();
  }
  return entries;
}
