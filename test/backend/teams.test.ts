// Teams, over each database: a key belongs to a team and sees only that team's capsules, blobs,
// usage and audit. The same capsule id pushed by two teams is two capsules (never a 409 that
// would tell one team the other has it); a blob counts as present for a team only once the team
// uploaded it, so no team can probe another's content. The QLP_ADMIN_KEY key is a global admin;
// a team's admin manages only its own team.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CapsuleStore } from '../../language-server/src/capsule/capsuleStore';
import { BackendClient } from '../../language-server/src/sync/client';
import { pullVersion } from '../../language-server/src/sync/pull';
import { adminKey, api, databasesUnderTest, startBackendProcess, type BackendProcess } from '../support/backendProcess';
import { readTree, scratch } from '../support/capsuleFixtures';
import { makeCapsule, pushWith } from './capsules';

for (const database of databasesUnderTest()) {
  describe(`teams over ${database.name}`, { skip: database.skip }, () => {
    let backend: BackendProcess;
    let global: ReturnType<typeof api>;
    /** Keys by team and role. */
    const keys: Record<string, Record<'reader' | 'writer' | 'admin', string>> = {};

    before(async () => {
      backend = await startBackendProcess(await database.options());
      global = api(backend.url, adminKey);
      for (const team of ['alpha', 'beta']) {
        keys[team] = { reader: '', writer: '', admin: '' };
        for (const role of ['reader', 'writer', 'admin'] as const) {
          const made = await global('/v1/keys', { method: 'POST', json: { name: `${team} ${role}`, role, team } });
          assert.equal(made.status, 201, made.text);
          assert.equal(made.json.team, team);
          keys[team][role] = made.json.key;
        }
      }
    });
    after(async () => {
      await backend?.stop();
      database.dispose();
    });

    it('puts a key made without a team in default, and shows the team in whoami and the key list', async () => {
      const plain = await global('/v1/keys', { method: 'POST', json: { name: 'no team given', role: 'reader' } });
      assert.equal(plain.json.team, 'default');
      assert.deepEqual((({ team, global: isGlobal, role }) => ({ team, global: isGlobal, role }))((await global('/v1/whoami')).json), {
        team: 'default',
        global: true,
        role: 'admin',
      });
      const alpha = (await api(backend.url, keys.alpha.reader)('/v1/whoami')).json;
      assert.deepEqual([alpha.name, alpha.team, alpha.global], ['alpha reader', 'alpha', false]);
      const everyTeam = (await global('/v1/keys')).json.keys.map((k: { team: string }) => k.team);
      assert.ok(everyTeam.includes('alpha') && everyTeam.includes('beta') && everyTeam.includes('default'), everyTeam.join());
    });

    it('lets a team admin manage its own team only', async () => {
      const alphaAdmin = api(backend.url, keys.alpha.admin);
      const listed = (await alphaAdmin('/v1/keys')).json.keys;
      assert.ok(listed.length >= 3 && listed.every((k: { team: string }) => k.team === 'alpha'), JSON.stringify(listed));
      const own = await alphaAdmin('/v1/keys', { method: 'POST', json: { name: 'alpha ci', role: 'writer' } });
      assert.deepEqual([own.status, own.json.team], [201, 'alpha'], "a team admin's key is of its team by default");
      const elsewhere = await alphaAdmin('/v1/keys', { method: 'POST', json: { name: 'sneaky', role: 'admin', team: 'beta' } });
      assert.deepEqual([elsewhere.status, elsewhere.json.error], [403, "an admin of team 'alpha' makes keys for that team only"]);
      const betaKey = (await api(backend.url, keys.beta.admin)('/v1/whoami')).json.id;
      const revokeOther = await alphaAdmin(`/v1/keys/${betaKey}`, { method: 'DELETE' });
      assert.equal(revokeOther.status, 404, "another team's key is not found");
      assert.equal((await api(backend.url, keys.beta.admin)('/v1/whoami')).status, 200);
      const asBeta = await api(backend.url, keys.alpha.reader)('/v1/capsules', {}, { 'x-qlp-team': 'beta' });
      assert.deepEqual([asBeta.status, asBeta.json.error], [403, "this key belongs to team 'alpha' and may not act for team 'beta'"]);
      assert.equal((await alphaAdmin(`/v1/keys/${own.json.id}`, { method: 'DELETE' })).status, 200);
      assert.equal((await global('/v1/keys', { method: 'POST', json: { name: 'bad team', role: 'reader', team: 'Not A Team' } })).status, 400);
    });

    it('keeps capsules apart: the same id in two teams is two capsules, and another team gets 404', async () => {
      const secret = await makeCapsule({ 'plan.md': `alpha's plan ${randomBytes(8).toString('hex')}\n` }, { name: 'shared name', requirements: 'alpha only' });
      assert.equal((await pushWith(secret, backend.url, keys.alpha.writer)).created, true);
      const beta = api(backend.url, keys.beta.reader);
      const id = secret.manifest.id;
      assert.equal((await beta(`/v1/capsules/${id}`)).status, 404);
      assert.equal((await beta(`/v1/capsules/${id}/versions/1`)).status, 404);
      assert.ok(!(await beta('/v1/capsules')).json.capsules.some((c: { id: string }) => c.id === id));
      assert.deepEqual((await beta('/v1/capsules?q=alpha')).json.capsules, []);
      assert.equal((await api(backend.url, keys.alpha.reader)('/v1/capsules?q=alpha')).json.capsules[0].id, id);

      // Beta pushes its own capsule under the same id: created, not a conflict, and each team pulls its own.
      const theirs = await makeCapsule({ 'plan.md': "beta's plan\n" }, { name: 'beta copy' });
      const sameId = { ...theirs.manifest, id };
      const betaPush = await pushWith({ store: theirs.store, manifest: sameId }, backend.url, keys.beta.writer);
      assert.equal(betaPush.created, true);
      for (const [team, content] of [
        ['alpha', await secret.store.blobs.read(secret.manifest.files[0].sha256, 'plan')],
        ['beta', Buffer.from("beta's plan\n")],
      ] as const) {
        const out = join(scratch('qlp-team-pull-'), 'copy');
        await pullVersion(
          new CapsuleStore(join(scratch('qlp-team-store-'), 'capsules')),
          new BackendClient({ url: backend.url, key: keys[team].reader }),
          { id },
          out,
        );
        assert.equal(readTree(out)['plan.md'].data, content.toString('base64'), team);
      }
      // The global admin acts for a team by naming it.
      const asAlpha = await global(`/v1/capsules/${id}`, {}, { 'x-qlp-team': 'alpha' });
      assert.deepEqual([asAlpha.status, asAlpha.json.name], [200, 'shared name']);
    });

    it("answers blob existence per team, so no team can probe another's content", async () => {
      const content = randomBytes(4096);
      const capsule = await makeCapsule({ 'data.bin': content }, { name: 'probe target' });
      await pushWith(capsule, backend.url, keys.alpha.writer);
      const sha = capsule.manifest.files[0].sha256;
      const betaWriter = api(backend.url, keys.beta.writer);
      assert.deepEqual((await betaWriter('/v1/blobs/missing', { method: 'POST', json: { sha256s: [sha] } })).json.missing, [sha]);
      assert.equal((await api(backend.url, keys.beta.reader)(`/v1/blobs/${sha}`)).status, 404);
      const fetched = await api(backend.url, keys.beta.reader)('/v1/blobs/fetch', { method: 'POST', json: { sha256s: [sha] } });
      assert.deepEqual([fetched.status, fetched.text.length], [200, 0], 'a fetch leaves out blobs the team has not uploaded');
      // A manifest naming it is refused as if no team had it.
      const refused = await betaWriter(`/v1/capsules/${capsule.manifest.id}/versions/1`, { method: 'PUT', json: capsule.manifest });
      assert.equal(refused.status, 409);
      assert.match(refused.json.error, /not on the server yet/);
      // Once beta uploads the bytes itself, they count as newly stored for beta (whoever else has them).
      const betaPush = await pushWith(capsule, backend.url, keys.beta.writer);
      assert.deepEqual([betaPush.created, betaPush.blobsSent], [true, 1]);
      assert.deepEqual((await betaWriter('/v1/blobs/missing', { method: 'POST', json: { sha256s: [sha] } })).json.missing, []);
      const upload = (await api(backend.url, keys.beta.admin)('/v1/audit?action=blobs.upload')).json.entries[0];
      assert.deepEqual([upload.team, upload.detail.stored], ['beta', 1]);
    });

    it('keeps audit, usage and cost per team; the global admin sees every team', async () => {
      const ledger = [{ provider: 'openai', model: 'gpt-4.1-mini', tier: 'T1' as const, calls: 2, inputTokens: 100, outputTokens: 10, costUsd: 1.5 }];
      const capsule = await makeCapsule({ 'gen.ts': 'export {};\n' }, { name: 'alpha generated', models: ledger });
      await pushWith(capsule, backend.url, keys.alpha.writer);
      const alphaUsage = (await api(backend.url, keys.alpha.reader)('/v1/usage')).json;
      assert.deepEqual([alphaUsage.team, alphaUsage.total.costUsd], ['alpha', 1.5]);
      const betaUsage = (await api(backend.url, keys.beta.reader)('/v1/usage')).json;
      assert.deepEqual([betaUsage.team, betaUsage.total.costUsd], ['beta', 0]);
      const byTeam = (await global('/v1/usage?by=team')).json;
      assert.equal(byTeam.team, null);
      assert.deepEqual(byTeam.rows.find((r: { key: string }) => r.key === 'alpha')?.costUsd, 1.5);

      const betaAudit = (await api(backend.url, keys.beta.admin)('/v1/audit?limit=1000')).json.entries;
      assert.ok(betaAudit.length > 0 && betaAudit.every((e: { team: string }) => e.team === 'beta'), JSON.stringify(betaAudit));
      assert.ok(!betaAudit.some((e: { target: string | null }) => e.target === `${capsule.manifest.id}@1`));
      const alphaAudit = (await api(backend.url, keys.alpha.admin)('/v1/audit?action=capsule.push')).json.entries;
      assert.equal(alphaAudit[0].target, `${capsule.manifest.id}@1`);
      const everything = (await global('/v1/audit?limit=1000')).json.entries.map((e: { team: string }) => e.team);
      assert.ok(everything.includes('alpha') && everything.includes('beta'));
      const onlyBeta = (await global('/v1/audit?limit=1000', {}, { 'x-qlp-team': 'beta' })).json.entries;
      assert.ok(onlyBeta.every((e: { team: string }) => e.team === 'beta'));
      assert.equal((await api(backend.url, keys.alpha.reader)('/v1/audit')).status, 403);
    });
  });
}
