// Tests are a contract. Once the first files are written, the test files and the parts of the
// configuration that decide which tests run (pytest's options, conftest.py, the `test` script,
// jest/vitest/mocha configs) are frozen by digest. A repair may change code freely; a change to a
// frozen part is discarded, unless it is an amendment of a test file with a stated reason that
// keeps or raises the number of tests and assertions.
import { createHash } from 'node:crypto';
import { parse as parseToml } from 'smol-toml';
import { kindOfPath } from '../../../protocol/generate';
import { readTestStatics, type TestFunction } from './testStatics';

export interface FrozenTestFile {
  sha256: string;
  tests: TestFunction[];
}

export interface Amendment {
  path: string;
  reason: string;
  round: number;
  tests: { before: number; after: number };
  assertions: { before: number; after: number };
}

export interface TestContract {
  /** Test files by path. */
  tests: Map<string, FrozenTestFile>;
  /** Digest of the protected part of each test-configuration file, by path. */
  config: Map<string, string>;
  amendments: Amendment[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const wholeFileConfig = /(^|\/)(conftest\.py|pytest\.ini|\.mocharc\.[a-z]+|(jest|vitest|vite|ava)\.config\.[a-z]+|\.c8rc(\.json)?|\.nycrc(\.json)?)$/;
const sectionConfig = /^(setup\.cfg|tox\.ini)$/;

/**
 * Whether a planned file is a test: planned as one, or named as test runners find tests (so a
 * plan cannot keep a test out of the contract by calling it code).
 */
export function isTestFile(file: { path: string; kind: string }): boolean {
  return file.kind === 'test' || kindOfPath(file.path) === 'test';
}

/** Whether a file may decide which tests run or how they are judged. */
export function isTestConfig(path: string): boolean {
  return wholeFileConfig.test(path) || sectionConfig.test(path) || path === 'pyproject.toml' || path === 'package.json';
}

/** The part of a configuration file that is frozen, as text; null when the file has none. */
export function protectedView(path: string, content: string): string | null {
  if (wholeFileConfig.test(path)) return content;
  if (sectionConfig.test(path)) {
    const sections = [...content.matchAll(/^\[(tool:pytest|pytest|coverage:[^\]]*)\][^\n]*\n(?:(?!\[)[^\n]*\n?)*/gm)].map((m) => m[0].trim());
    return sections.length ? sections.join('\n') : null;
  }
  try {
    if (path === 'pyproject.toml') {
      const tool = (parseToml(content) as { tool?: Record<string, unknown> }).tool ?? {};
      return JSON.stringify([tool.pytest ?? null, tool.coverage ?? null]);
    }
    const pkg = JSON.parse(content) as { scripts?: Record<string, unknown> } & Record<string, unknown>;
    const scripts = pkg.scripts ?? {};
    return JSON.stringify([
      scripts.test ?? null,
      scripts.pretest ?? null,
      scripts.posttest ?? null,
      pkg.jest ?? null,
      pkg.mocha ?? null,
      pkg.ava ?? null,
      pkg.c8 ?? null,
    ]);
  } catch {
    // Unreadable: the whole text is the contract (the syntax stage reports the error).
    return content;
  }
}

export const assertionsIn = (tests: readonly TestFunction[]) => tests.reduce((sum, t) => sum + t.assertions, 0);

/** Freezes the test files and the protected configuration of a freshly written project. */
export async function freezeContract(files: ReadonlyMap<string, string>, testPaths: readonly string[]): Promise<TestContract> {
  const contract: TestContract = { tests: new Map(), config: new Map(), amendments: [] };
  for (const path of testPaths) {
    const content = files.get(path);
    if (content === undefined) continue;
    contract.tests.set(path, { sha256: sha256(content), tests: (await readTestStatics(path, content))?.tests ?? [] });
  }
  for (const [path, content] of files) {
    if (contract.tests.has(path) || !isTestConfig(path)) continue;
    const view = protectedView(path, content);
    if (view !== null) contract.config.set(path, sha256(view));
  }
  return contract;
}

/** One digest over everything frozen, for the receipt. */
export function contractDigest(contract: TestContract): string {
  const lines = [...[...contract.tests].map(([p, f]) => `test ${f.sha256} ${p}`), ...[...contract.config].map(([p, d]) => `config ${d} ${p}`)].sort();
  return sha256(lines.join('\n'));
}

export type ChangeReview = { accepted: true; amendment?: Amendment } | { accepted: false; why: string };

/**
 * Whether a repair's new content for `path` may replace the current one. `reason` is the
 * amendment's stated reason, when the answer gave one for this file.
 */
export async function reviewChange(
  contract: TestContract,
  change: { path: string; after: string; isTest: boolean; round: number; reason: string | undefined },
): Promise<ChangeReview> {
  const { path, after, round, reason } = change;
  const frozen = contract.tests.get(path);
  if (!frozen && change.isTest) {
    // A planned test file the first pass could not write: new tests only add to the contract.
    contract.tests.set(path, { sha256: sha256(after), tests: (await readTestStatics(path, after))?.tests ?? [] });
    return { accepted: true };
  }
  if (frozen) {
    if (sha256(after) === frozen.sha256) return { accepted: true };
    if (!reason)
      return {
        accepted: false,
        why: `the repair changed the test file ${path} without stating why (tests are a contract: fix the code, or amend a wrong test with a reason)`,
      };
    const tests = (await readTestStatics(path, after))?.tests ?? [];
    const before = { tests: frozen.tests.filter((t) => !t.marked).length, assertions: assertionsIn(frozen.tests) };
    const now = { tests: tests.filter((t) => !t.marked).length, assertions: assertionsIn(tests) };
    if (now.tests < before.tests || now.assertions < before.assertions) {
      return {
        accepted: false,
        why: `the amendment of ${path} would lower its tests (${before.tests} → ${now.tests}) or assertions (${before.assertions} → ${now.assertions})`,
      };
    }
    const amendment: Amendment = {
      path,
      reason,
      round,
      tests: { before: before.tests, after: now.tests },
      assertions: { before: before.assertions, after: now.assertions },
    };
    contract.tests.set(path, { sha256: sha256(after), tests });
    contract.amendments.push(amendment);
    return { accepted: true, amendment };
  }
  const digest = contract.config.get(path);
  const view = isTestConfig(path) ? protectedView(path, after) : null;
  if (digest === undefined) {
    if (view === null) return { accepted: true };
    return { accepted: false, why: `the repair would add test configuration in ${path}, which was not part of the frozen project` };
  }
  if (view !== null && sha256(view) === digest) return { accepted: true };
  return { accepted: false, why: `the repair changed how tests run in ${path} (test options, selection or scripts are frozen)` };
}

/** `AMEND <path>: <reason>` lines of a repair answer, by path. */
export function amendmentReasons(answer: string): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const m of answer.matchAll(/^\s*AMEND\s+`?([^\s`:]+)`?\s*:\s*(.+)$/gm)) {
    const reason = m[2]!.trim();
    if (reason.length >= 8) reasons.set(m[1]!, reason.slice(0, 500));
  }
  return reasons;
}
