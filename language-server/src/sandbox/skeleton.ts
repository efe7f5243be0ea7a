// The offline root both sandboxes share when no image is configured: empty folders, a skeleton
// /etc (the sandbox user, localhost), and this machine's /usr bound read-only at run time. No
// registry is needed: Docker gets it as an imported image, bubblewrap as a folder.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { paths } from './layout';
import { tarArchive, type TarEntry } from './tar';
import { sandboxGid, sandboxUid } from './types';

const etcFiles: Record<string, string> = {
  passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${sandboxUid}:${sandboxGid}:sandbox:/tmp:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  group: `root:x:0:\nsandbox:x:${sandboxGid}:\nnogroup:x:65534:\n`,
  hosts: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
  'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files dns\n',
  // Mount points for what may be bound over them (an empty file resolves nothing).
  'resolv.conf': '',
};
/** Mount points under /etc for folders bound from this machine. */
const etcDirs = ['alternatives', 'ssl'];

/** Folders of the skeleton root (the working folder's name comes from the layout); /sbin is a real folder, /bin and /lib* point into /usr. */
const rootDirs = ['usr', 'etc', 'tmp', paths.work.slice(1), 'src', 'deps', 'cache', 'proc', 'dev', 'sys', 'sbin', 'opt', 'opt/node'];
export const rootLinks: Record<string, string> = { bin: 'usr/bin', lib: 'usr/lib', lib32: 'usr/lib32', lib64: 'usr/lib64', libx32: 'usr/libx32' };

/** A short hash of the skeleton's content: it names the image, so a changed skeleton is rebuilt. */
export const skeletonVersion = createHash('sha256').update(JSON.stringify({ etcFiles, etcDirs, rootDirs, rootLinks })).digest('hex').slice(0, 12);

/** The image name of the offline host-bind skeleton. */
export const skeletonImage = `qlp-sandbox-host:${skeletonVersion}`;

/** The skeleton root as a tar archive, for `docker import`. */
export function skeletonTar(): Buffer {
  const entries: TarEntry[] = [
    ...rootDirs.map((path): TarEntry => ({ type: 'dir', path, mode: path === 'tmp' ? 0o1777 : 0o755 })),
    ...Object.entries(rootLinks).map(([path, target]): TarEntry => ({ type: 'symlink', path, target })),
    ...etcDirs.map((name): TarEntry => ({ type: 'dir', path: `etc/${name}` })),
    ...Object.entries(etcFiles).map(([name, content]): TarEntry => ({ type: 'file', path: `etc/${name}`, content })),
  ];
  return tarArchive(entries);
}

/** Writes the skeleton /etc under `dir` once (for bubblewrap) and returns its path. */
export async function writeSkeletonEtc(dir: string): Promise<string> {
  const etc = join(dir, `etc-${skeletonVersion}`);
  if (existsSync(join(etc, 'passwd'))) return etc;
  const staging = `${etc}.${process.pid}.tmp`;
  for (const name of etcDirs) await mkdir(join(staging, name), { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(etcFiles)) await writeFile(join(staging, name), content, { mode: 0o644 });
  await rename(staging, etc).catch(async (err) => {
    if (!existsSync(join(etc, 'passwd'))) throw err; // another process won the race: fine
  });
  return etc;
}

export interface HostBind {
  hostPath: string;
  target: string;
}

/**
 * What the host-bind skeleton needs from this machine, read-only: /usr, Debian's alternatives
 * links, and the Node.js that runs QLP when it lives outside /usr (nvm, a tarball), at /opt/node.
 */
export function hostBinds(execPath: string = process.execPath): HostBind[] {
  const binds: HostBind[] = [{ hostPath: '/usr', target: '/usr' }];
  if (existsSync('/etc/alternatives')) binds.push({ hostPath: '/etc/alternatives', target: '/etc/alternatives' });
  if (!execPath.startsWith('/usr/')) binds.push({ hostPath: dirname(dirname(execPath)), target: '/opt/node' });
  return binds;
}

/** PATH entries the host-bind skeleton adds (Node.js bound at /opt/node). */
export function hostBindPath(execPath: string = process.execPath): string[] {
  return execPath.startsWith('/usr/') ? [] : ['/opt/node/bin'];
}
