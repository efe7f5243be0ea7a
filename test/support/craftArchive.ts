// Writes archives byte by byte, including the hostile shapes well-behaved writers refuse to make
// (`../` names, absolute paths, links, devices): the test's input, not a stand-in for the code
// under test.
import { createWriteStream, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { crc32, createGzip, deflateRawSync } from 'node:zlib';
import tar from 'tar-stream';

export interface CraftEntry {
  name: string;
  data?: Buffer | string;
  /** Full Unix mode with file type bits, e.g. 0o100644, 0o120777 (symlink), 0o020644 (char device). */
  mode?: number;
  deflate?: boolean;
}

/** A zip with Unix modes in the external attributes; no name checks at all. */
export function craftZip(path: string, entries: CraftEntry[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data ?? '');
    const body = entry.deflate ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, directory, end]));
}

export interface CraftTarEntry {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  mode?: number;
  linkname?: string;
}

export async function craftTar(path: string, entries: CraftTarEntry[], gzip = false): Promise<void> {
  const pack = tar.pack();
  const done = gzip ? pipeline(pack, createGzip(), createWriteStream(path)) : pipeline(pack, createWriteStream(path));
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? '');
    const header = { name: entry.name, type: entry.type ?? 'file', mode: entry.mode ?? 0o644, linkname: entry.linkname, devmajor: 1, devminor: 3 };
    await new Promise<void>((resolve, reject) => {
      const callback = (err?: Error | null) => (err ? reject(err) : resolve());
      if (header.type === 'file') pack.entry({ ...header, size: data.length }, data, callback);
      else pack.entry({ ...header, size: 0 }, callback);
    });
  }
  pack.finalize();
  await done;
}
