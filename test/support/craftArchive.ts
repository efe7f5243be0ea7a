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
  /** Lies to write in the headers: the unpacked size, the CRC-32, extra flag bits (1 = encrypted). */
  declaredSize?: number;
  crc?: number;
  flags?: number;
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
    // The local header and the central directory record share these fields; the central one
    // has them 2 bytes further on (after its "version made by").
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0x0800 | (entry.flags ?? 0), at + 2); // names are UTF-8
      header.writeUInt16LE(entry.deflate ? 8 : 0, at + 4);
      header.writeUInt32LE(entry.crc ?? crc32(data), at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(entry.declaredSize ?? data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
      return header;
    };
    const local = fields(Buffer.alloc(30), 4);
    local.writeUInt32LE(0x04034b50, 0);
    const central = fields(Buffer.alloc(46), 6);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: the external attributes hold a mode
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
