// The cgroup files a run writes and reads, in a folder laid out like /sys/fs/cgroup (v1 and v2),
// and the skeleton image's tar read back by tar(1). The kernel's side is exercised by the
// bubblewrap tests, which run under real cgroups.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Cgroup, detectCgroups, pruneStaleCgroups } from '../../../language-server/src/sandbox/cgroup';
import { skeletonImage, skeletonTar } from '../../../language-server/src/sandbox/skeleton';

const limits = { cpus: 0.5, memoryMb: 64, pids: 32, timeoutSeconds: 5, diskMb: 16, outputBytes: 1024 };

function fakeRoot(version: 1 | 2): string {
  const root = mkdtempSync(join(tmpdir(), 'qlp-cgroup-'));
  if (version === 2) writeFileSync(join(root, 'cgroup.controllers'), 'cpu memory pids');
  else {
    for (const c of ['memory', 'pids', 'cpu', 'freezer']) mkdirSync(join(root, c));
    writeFileSync(join(root, 'memory', 'memory.limit_in_bytes'), '');
  }
  return root;
}

describe('cgroups', () => {
  it('detects v1, v2, or says bubblewrap cannot limit here', () => {
    assert.deepEqual(detectCgroups(fakeRoot(1)), { version: 1 });
    assert.deepEqual(detectCgroups(fakeRoot(2)), { version: 2 });
    const none = detectCgroups(mkdtempSync(join(tmpdir(), 'qlp-cgroup-')));
    assert.match('error' in none ? none.error : '', /^No memory, pids and cpu cgroup controllers under .*; bubblewrap cannot limit the sandbox here\.$/);
  });

  it('v1: writes memory (= memory + swap), pids and CPU quota in their hierarchies, and joins all four', async () => {
    const root = fakeRoot(1);
    const group = await Cgroup.create(limits, root);
    const [memory, pids, cpu, freezer] = group.dirs;
    assert.equal(readFileSync(join(memory, 'memory.limit_in_bytes'), 'utf8'), String(64 * 1024 * 1024));
    assert.equal(readFileSync(join(pids, 'pids.max'), 'utf8'), '32');
    assert.equal(readFileSync(join(cpu, 'cpu.cfs_quota_us'), 'utf8'), '50000');
    assert.equal(readFileSync(join(cpu, 'cpu.cfs_period_us'), 'utf8'), '100000');
    assert.match(freezer, /freezer\/qlp-sandbox\/run-/);
    assert.equal(group.joinScript().split(' && ').length, 4);
    writeFileSync(join(memory, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    assert.equal(await group.oomKills(), 2);
  });

  it('v2: writes memory.max, swap 0, pids.max and cpu.max in one folder, reads oom_kill from memory.events', async () => {
    const root = fakeRoot(2);
    mkdirSync(join(root, 'qlp-sandbox'));
    const group = await Cgroup.create(limits, root);
    assert.equal(group.dirs.length, 1);
    const [dir] = group.dirs;
    assert.equal(readFileSync(join(dir, 'memory.max'), 'utf8'), String(64 * 1024 * 1024));
    assert.equal(readFileSync(join(dir, 'cpu.max'), 'utf8'), '50000 100000');
    assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8'), '32');
    assert.equal(readFileSync(join(root, 'qlp-sandbox', 'cgroup.subtree_control'), 'utf8'), '+memory +pids +cpu');
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    assert.equal(await group.oomKills(), 1);
  });

  it('removes groups of QLP processes that are gone, and only those', async () => {
    const root = fakeRoot(1);
    const dead = join(root, 'pids', 'qlp-sandbox', 'run-999999999-1-abc');
    const alive = join(root, 'pids', 'qlp-sandbox', `run-${process.pid}-1-abc`);
    mkdirSync(dead, { recursive: true });
    mkdirSync(alive, { recursive: true });
    await pruneStaleCgroups(root);
    assert.ok(!existsSync(dead));
    assert.ok(existsSync(alive));
  });
});

describe('offline skeleton image', () => {
  it('is a tar of empty folders, /bin and /lib links into /usr, a real /sbin and a skeleton /etc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlp-skeleton-'));
    writeFileSync(join(dir, 'root.tar'), skeletonTar());
    const listing = execFileSync('tar', ['-tvf', join(dir, 'root.tar')], { encoding: 'utf8' });
    assert.match(listing, /^lrwxrwxrwx .* bin -> usr\/bin$/m);
    assert.match(listing, /^drwxr-xr-x .* sbin\/$/m);
    assert.match(listing, /^drwxrwxrwt .* tmp\/$/m);
    mkdirSync(join(dir, 'x'));
    execFileSync('tar', ['-xf', join(dir, 'root.tar'), '-C', join(dir, 'x')]);
    assert.match(readFileSync(join(dir, 'x', 'etc', 'passwd'), 'utf8'), /^sandbox:x:65432:65432:sandbox:\/tmp:/m);
    assert.deepEqual(readdirSync(join(dir, 'x', 'project')), []);
    assert.match(skeletonImage, /^qlp-sandbox-host:[0-9a-f]{12}$/);
    assert.deepEqual(skeletonTar(), skeletonTar(), 'the same skeleton gives the same bytes');
  });
});
