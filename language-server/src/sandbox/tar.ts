// A minimal ustar writer: enough to hand a skeleton root filesystem to `docker import`.

export type TarEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; content: string | Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string };

function header(path: string, size: number, mode: number, typeflag: string, linkname = ''): Buffer {
  if (Buffer.byteLength(path) > 99 || Buffer.byteLength(linkname) > 99) throw new Error(`tar: path too long for ustar: ${path}`);
  const block = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => block.write(text, offset, length, 'utf8');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  put(path, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12); // mtime: fixed, so the same skeleton gives the same bytes
  put('        ', 148, 8); // checksum placeholder
  put(typeflag, 156, 1);
  put(linkname, 157, 100);
  put('ustar\u000000', 257, 8);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

/** The tar archive of `entries`, in order, with root ownership and a zero mtime. */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.type === 'dir') {
      parts.push(header(entry.path.endsWith('/') ? entry.path : `${entry.path}/`, 0, entry.mode ?? 0o755, '5'));
    } else if (entry.type === 'symlink') {
      parts.push(header(entry.path, 0, 0o777, '2', entry.target));
    } else {
      const content = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
      parts.push(header(entry.path, content.length, entry.mode ?? 0o644, '0'), content);
      const pad = (512 - (content.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
