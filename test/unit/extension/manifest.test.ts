// The extension manifest against the code: every declared command is either registered or
// hidden behind its feature key; nothing pretends to work.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commandIds } from '../../../extension/src/commands/ids';
import { featureKeys, shippedFeatures } from '../../../extension/src/features';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
  enablement?: string;
}

const commands: CommandContribution[] = pkg.contributes.commands;
const registered = new Set<string>(Object.values(commandIds));
const shippedKeys = new Set<string>(shippedFeatures.map((f) => featureKeys[f]));
const palette = new Map<string, string>(pkg.contributes.menus.commandPalette.map((m: { command: string; when: string }) => [m.command, m.when]));

describe('extension manifest', () => {
  it('declares the QLP commands users look for', () => {
    const titles = commands.map((c) => `${c.category}: ${c.title}`);
    for (const title of [
      'QLP: Generate project',
      'QLP: Semantic search',
      'QLP: Export capsule',
      'QLP: Validate workspace',
      'QLP: Set API key',
      'QLP: Restart language server',
      'QLP: Show output',
      'QLP: Run tests in sandbox',
    ]) {
      assert.ok(titles.includes(title), `missing command ${title}`);
    }
  });

  it('registers every command it declares, or hides it behind a feature key that is not shipped', () => {
    for (const { command, enablement } of commands) {
      if (registered.has(command)) continue;
      const key = Object.values(featureKeys).find((k) => enablement === k);
      assert.ok(key, `${command} is declared but neither registered nor gated by a qlp.feature.* enablement`);
      assert.ok(!shippedKeys.has(key), `${command}: feature ${key} is shipped but the command is not registered`);
      assert.equal(palette.get(command), key, `${command} must be hidden from the palette by when: ${key}`);
    }
  });

  it('registers only commands the manifest declares', () => {
    const declared = new Set(commands.map((c) => c.command));
    for (const id of registered) assert.ok(declared.has(id), `${id} is registered but not declared`);
  });

  it('offers Export capsule on folders in the Explorer, gated by its feature', () => {
    const entry = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'qlp.exportCapsule');
    assert.ok(entry, 'no explorer/context entry for qlp.exportCapsule');
    assert.match(entry.when, /qlp\.feature\.capsules/);
    assert.match(entry.when, /explorerResourceIsFolder/);
  });

  it('declares every command its menus use, and registers those of shipped features', () => {
    const declared = new Map(commands.map((c) => [c.command, c]));
    for (const [menu, entries] of Object.entries(pkg.contributes.menus) as Array<[string, Array<{ command: string }>]>) {
      for (const { command } of entries) {
        assert.ok(declared.has(command), `${menu} uses ${command}, which is not declared`);
        const enablement = declared.get(command)!.enablement;
        if (!enablement || shippedKeys.has(enablement)) assert.ok(registered.has(command), `${menu} uses ${command}, which is not registered`);
      }
    }
  });

  it("keeps the Capsules view's item commands out of the palette, and offers export, snapshot and import there", () => {
    const itemCommands = new Set<string>(pkg.contributes.menus['view/item/context'].map((m: { command: string }) => m.command));
    // Commands that ask for their capsule when run from the palette.
    const paletteToo = new Set(['qlp.exportCapsule', 'qlp.pushCapsule', 'qlp.pullCapsule']);
    for (const command of itemCommands) {
      if (paletteToo.has(command)) continue;
      assert.equal(palette.get(command), 'false', `${command} needs a tree item and must be hidden from the palette`);
    }
    for (const command of ['qlp.exportCapsule', 'qlp.snapshotFolder', 'qlp.importCapsule']) assert.equal(palette.get(command), 'qlp.feature.capsules');
    for (const command of ['qlp.pushCapsule', 'qlp.pullCapsule']) assert.equal(palette.get(command), 'qlp.feature.backend');
    for (const { command, category, enablement } of commands.filter((c) => !paletteToo.has(c.command) && itemCommands.has(c.command))) {
      assert.equal(category, 'QLP', command);
      assert.equal(enablement, 'qlp.feature.capsules', command);
    }
  });

  it('offers Run tests in sandbox in the palette and on folders in the Explorer, as a shipped feature', () => {
    assert.ok(shippedFeatures.includes('sandbox'));
    assert.equal(palette.get('qlp.runTestsInSandbox'), featureKeys.sandbox);
    const entry = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'qlp.runTestsInSandbox');
    assert.ok(entry, 'no explorer/context entry for qlp.runTestsInSandbox');
    assert.equal(entry.when, 'qlp.feature.sandbox && explorerResourceIsFolder');
  });

  it('has a QLP activity-bar container with Status, Usage, Capsules and Search views, and an icon that exists', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'qlp');
    assert.equal(container.title, 'QLP');
    assert.doesNotThrow(() => readFileSync(join(root, container.icon)));
    const views = pkg.contributes.views.qlp.map((v: { name: string }) => v.name);
    assert.deepEqual(views.sort(), ['Capsules', 'Search', 'Status', 'Usage']);
  });

  it('targets the VS Code that @types/vscode describes', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    const types = lock.packages['node_modules/@types/vscode'].version as string;
    assert.equal(types.split('.').slice(0, 2).join('.'), '1.100');
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.bin.qlp, 'dist/cli.js');
  });
});
