// Each rule's documentation link: checked against what the plugins and the bundled Ruff say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import type { Rule } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';
import { ruleDocsUrl } from '../../../language-server/src/validate/ruleDocs';
import { ruffLinterAnchor, ruffRuleNames } from '../../../language-server/src/validate/ruffRuleNames';
import { defaultCombinedConfig } from '../../../language-server/src/validate/tools/eslintConfig';

type Rules = Record<string, { meta?: Rule.RuleMetaData }>;
const plugins: Record<string, Rules> = {
  '@typescript-eslint/': (tseslint.plugin as unknown as { rules: Rules }).rules,
  'security/': security.rules as unknown as Rules,
  '@microsoft/sdl/': sdl.rules as unknown as Rules,
};

function metaUrl(id: string): string | undefined {
  for (const [prefix, rules] of Object.entries(plugins)) if (id.startsWith(prefix)) return rules[id.slice(prefix.length)]?.meta?.docs?.url;
  return builtinRules.get(id)?.meta?.docs?.url;
}

describe('rule documentation links', () => {
  it("links every rule of QLP's ESLint defaults where its own metadata says its docs are", () => {
    const ids = new Set(defaultCombinedConfig({ sourceType: 'module', browser: true }).flatMap((c) => Object.keys(c.rules ?? {})));
    assert.ok(ids.size > 80, `only ${ids.size} rules`);
    assert.ok(Object.keys(js.configs.recommended.rules ?? {}).every((id) => ids.has(id)));
    for (const id of ids) assert.equal(ruleDocsUrl({ source: 'eslint', code: id }), metaUrl(id), id);
    assert.equal(ruleDocsUrl({ source: 'eslint', code: 'react/jsx-key' }), undefined, 'a project plugin QLP does not know');
    assert.equal(ruleDocsUrl({ source: 'eslint', code: 'tool-failed' }), undefined);
    assert.equal(ruleDocsUrl({ source: 'eslint', code: 'config' }), undefined);
  });

  it("links Ruff rules by name, each name one the bundled Ruff knows, and other codes to their linter's section", () => {
    const wasm = readFileSync(require.resolve('@astral-sh/ruff-wasm-nodejs/ruff_wasm_bg.wasm')).toString('latin1');
    const unknown = Object.values(ruffRuleNames).filter((name) => !wasm.includes(name));
    assert.deepEqual(unknown, [], 'names the bundled Ruff does not have');
    assert.equal(ruleDocsUrl({ source: 'ruff', code: 'F401' }), 'https://docs.astral.sh/ruff/rules/unused-import/');
    assert.equal(ruleDocsUrl({ source: 'ruff', code: 'S602' }), 'https://docs.astral.sh/ruff/rules/subprocess-popen-with-shell-equals-true/');
    assert.deepEqual(['B006', 'C901', 'C401', 'PLR0913', 'UP035', 'SIM102', 'E226', 'T201', 'ASYNC100'].map(ruffLinterAnchor), [
      'flake8-bugbear-b',
      'mccabe-c90',
      'flake8-comprehensions-c4',
      'pylint-pl',
      'pyupgrade-up',
      'flake8-simplify-sim',
      'pycodestyle-e-w',
      'flake8-print-t20',
      'flake8-async-async',
    ]);
    assert.equal(ruleDocsUrl({ source: 'ruff', code: 'B006' }), 'https://docs.astral.sh/ruff/rules/#flake8-bugbear-b');
    assert.equal(ruleDocsUrl({ source: 'ruff', code: 'invalid-syntax' }), undefined);
  });

  it('links pyright rules, TypeScript codes and secretlint rules', () => {
    assert.equal(
      ruleDocsUrl({ source: 'pyright', code: 'reportAttributeAccessIssue' }),
      'https://github.com/microsoft/pyright/blob/main/docs/configuration.md#reportAttributeAccessIssue',
    );
    assert.equal(ruleDocsUrl({ source: 'typescript', code: 'TS2345' }), 'https://typescript.tv/errors/#ts2345');
    assert.equal(
      ruleDocsUrl({ source: 'secretlint', code: '@secretlint/secretlint-rule-github' }),
      'https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint/secretlint-rule-github/README.md',
    );
    assert.equal(ruleDocsUrl({ source: 'qlp', code: 'file-too-large' }), undefined);
    assert.equal(ruleDocsUrl({ source: 'typescript' }), undefined);
  });
});
