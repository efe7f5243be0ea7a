// The editor and the command line find the same store for the same workspace.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findWorkspaceRoot, openWorkspaceDir, workspaceDir, workspaceKey } from '../../../language-server/src/capsule/workspaceStore';
import { scratch } from '../../support/capsuleFixtures';

describe('workspace store location', () => {
  it('is <data>/workspaces/<16 hex of sha256(realpath(root))>/, recording the root', async () => {
    const data = scratch();
    const root = realpathSync(scratch());
    const { dir } = await openWorkspaceDir(data, root);
    assert.match(workspaceKey(root), /^[0-9a-f]{16}$/);
    assert.equal(dir, join(data, 'workspaces', workspaceKey(root)));
    assert.equal(JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')).root, root);
  });

  it('is the same through a symbolic link to the workspace', async () => {
    const data = scratch();
    const root = scratch();
    const link = join(scratch(), 'link');
    symlinkSync(root, link);
    assert.equal((await openWorkspaceDir(data, link)).dir, (await openWorkspaceDir(data, root)).dir);
  });

  it('is found from a subfolder of a workspace that has one, else the working folder is the root', async () => {
    const data = scratch();
    const root = realpathSync(scratch());
    const sub = join(root, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    assert.equal(await findWorkspaceRoot(data, sub), sub);
    await openWorkspaceDir(data, root);
    assert.equal(await findWorkspaceRoot(data, sub), root);
    assert.equal(workspaceDir(data, root), (await openWorkspaceDir(data, root)).dir);
  });

  it('never replaces a workspace record it cannot read', async () => {
    const data = scratch();
    const root = realpathSync(scratch());
    const record = join(workspaceDir(data, root), 'workspace.json');
    mkdirSync(join(record, '..'), { recursive: true });
    symlinkSync(record, record); // a link to itself: every read fails with ELOOP
    await assert.rejects(
      openWorkspaceDir(data, root),
      new RegExp(`^CorruptStoreError: The workspace record ${record} cannot be read \\(ELOOP\\); repair its permissions\\.$`),
    );
    assert.equal(readlinkSync(record), record, 'the record is left as it was');
  });

  it('refuses a workspace folder that does not exist', async () => {
    await assert.rejects(openWorkspaceDir(scratch(), join(scratch(), 'missing')), /does not exist or is not a folder/);
  });
});
