// Makes the model's training pairs from the fetched packages: every documented function, method or
// class that the product's own chunker cuts out becomes (description terms, code terms), both
// through the product's tokenizer, so training and run time see the same terms. The description
// is the doc comment's summary; the code side is what the embedder reads at run time
// (`symbol\npath\ntext`) with the doc comment taken out, so the model cannot learn to copy words.
// Code of the held-out packages and of the public evaluation corpus (express) is kept out by path
// and by content. Usage: node --import tsx scripts/search-model/extractPairs.ts <work>
import { createHash } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chunkFile } from '../../language-server/src/index/chunker';
import { terms } from '../../language-server/src/index/tokens';
import { splitChunk, summary } from './docSplit';
import { packageList, sourceDir, type SourcePackage } from './fetchSources';

/** Packages whose pairs are kept apart to choose the training settings (never the held-out ones). */
export const devPackages = new Set(['ramda', 'luxon', 'validator', 'python3-toolz', 'python3-more-itertools', 'python3-humanize']);

const maxPairsPerPackage = 6000;
const skipDirs =
  /(^|\/)(test|tests|testing|__tests__|spec|specs|example|examples|bench|benchmark|benchmarks|fixtures|locale|locales|i18n|idle_test|site-packages|__pycache__|node_modules)(\/|$)/;
const codeFile = /\.(js|mjs|cjs|ts|mts|cts|py)$/;

function* walk(dir: string, root = dir): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full);
    if (entry.isDirectory()) {
      if (!skipDirs.test(rel)) yield* walk(full, root);
    } else if (entry.isFile() && codeFile.test(entry.name) && !/\.d\.[mc]?ts$|\.min\.js$/.test(entry.name)) {
      yield full;
    }
  }
}

/** Bundled or minified files are not code a person wrote: long lines give them away. */
function looksGenerated(text: string): boolean {
  const lines = text.split('\n');
  const long = lines.filter((l) => l.length > 500).length;
  return long > Math.max(3, lines.length / 100) || text.length / Math.max(1, lines.length) > 150;
}

export interface Pair {
  pkg: string;
  lang: string;
  path: string;
  symbol: string;
  desc: string;
  /** Description terms, space-separated (index/tokens.ts). */
  q: string;
  /** Code terms of `symbol\npath\ncode`, space-separated. */
  c: string;
  /** Hash of the code's own terms (what the held-out guard compares). */
  h: string;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16);

/** Where the package's own files are: npm's package/ folder; Python's library folders. */
function roots(dir: string, kind: 'npm' | 'debian'): string[] {
  if (kind === 'npm') return [join(dir, 'package')];
  const out: string[] = [];
  for (const lib of ['usr/lib/python3/dist-packages', 'usr/lib/python3.11']) {
    try {
      if (statSync(join(dir, lib)).isDirectory()) out.push(join(dir, lib));
    } catch {
      // not in this package
    }
  }
  return out;
}

/**
 * A name pair: the words of a definition's own name against its code with those words taken out,
 * which every definition has, documented or not (`delete_file` ↔ `os.remove(path)`).
 */
function namePair(pkg: string, chunk: { language: string; path: string; symbol: string }, code: string, h: string): Pair | undefined {
  const name = chunk.symbol.split('.').pop() ?? '';
  const q = terms(name);
  if (q.length < 2) return undefined;
  const drop = new Set(q);
  const c = terms(`${chunk.path}\n${code}`).filter((t) => !drop.has(t));
  if (c.length < 8) return undefined;
  return { pkg, lang: chunk.language, path: chunk.path, symbol: chunk.symbol, desc: name, q: q.join(' '), c: c.slice(0, 512).join(' '), h };
}

/** The pairs (and the code of every chunk, documented or not) of one package's files. */
export async function pairsOf(files: Array<{ abs: string; rel: string }>, pkg: string): Promise<{ pairs: Pair[]; names: Pair[]; codeHashes: Set<string> }> {
  const pairs: Pair[] = [];
  const names: Pair[] = [];
  const codeHashes = new Set<string>();
  for (const { abs, rel } of files) {
    let text: string;
    try {
      if (statSync(abs).size > 1024 * 1024) continue;
      text = readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    if (looksGenerated(text)) continue;
    for (const chunk of await chunkFile(rel, text)) {
      if (!chunk.symbol) continue;
      const { doc, code } = await splitChunk(chunk.text, chunk.language);
      const c = terms(`${chunk.symbol}\n${chunk.path}\n${code}`);
      const h = hash(terms(code).join(' '));
      codeHashes.add(h);
      const named = namePair(pkg, chunk, code, h);
      if (named) names.push(named);
      if (!doc) continue;
      const desc = summary(doc, chunk.language);
      const q = terms(desc);
      if (q.length < 3 || c.length < 8) continue;
      pairs.push({ pkg, lang: chunk.language, path: chunk.path, symbol: chunk.symbol, desc, q: q.slice(0, 64).join(' '), c: c.slice(0, 512).join(' '), h });
    }
  }
  return { pairs, names, codeHashes };
}

function filesOf(dir: string, kind: 'npm' | 'debian', only?: string[]): Array<{ abs: string; rel: string }> {
  const out: Array<{ abs: string; rel: string }> = [];
  for (const root of only ? [dir] : roots(dir, kind)) {
    for (const abs of walk(root)) {
      const rel = relative(only ? join(dir, kind === 'npm' ? 'package' : '') : root, abs);
      if (!only || only.some((p) => relative(dir, abs).startsWith(p))) out.push({ abs, rel });
    }
  }
  return out;
}

async function main(work: string): Promise<void> {
  const list = packageList();
  // Content of the held-out packages and the public corpus: never in training, even when vendored.
  const forbidden = new Set<string>();
  const forbiddenNames: string[] = [...list.excluded.namePatterns];
  const guarded: Array<[SourcePackage, 'npm' | 'debian']> = [
    ...list.heldout.npm.map((p) => [p, 'npm'] as [SourcePackage, 'npm']),
    ...list.heldout.debian.map((p) => [p, 'debian'] as [SourcePackage, 'debian']),
    ...list.excluded.npm.map((p) => [p, 'npm'] as [SourcePackage, 'npm']),
  ];
  // The held-out packages' own documented pairs: a larger, automatic check of the final model
  // (never used for training or for choosing settings).
  const heldoutPairs = createWriteStream(join(work, 'pairs-heldout.jsonl'));
  for (const [p, kind] of guarded) {
    const { pairs, codeHashes } = await pairsOf(filesOf(sourceDir(work, kind, p), kind), p.name);
    for (const h of codeHashes) forbidden.add(h);
    if (!list.excluded.npm.includes(p)) for (const pair of pairs) heldoutPairs.write(`${JSON.stringify(pair)}\n`);
    forbiddenNames.push(kind === 'npm' ? p.name : p.paths![0].split('/').pop()!);
  }
  await new Promise((r) => heldoutPairs.end(r));
  const nameFilter = new RegExp(`(^|/)(${forbiddenNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(/|\\.|$)`, 'i');

  const out = {
    train: createWriteStream(join(work, 'pairs-train.jsonl')),
    dev: createWriteStream(join(work, 'pairs-dev.jsonl')),
    names: createWriteStream(join(work, 'pairs-names.jsonl')),
  };
  const seen = new Set<string>();
  const counts: Record<string, { pairs: number; dropped: number }> = {};
  const sources: Array<[SourcePackage, 'npm' | 'debian']> = [
    ...list.training.npm.map((p) => [p, 'npm'] as [SourcePackage, 'npm']),
    ...list.training.debian.map((p) => [p, 'debian'] as [SourcePackage, 'debian']),
  ];
  for (const [p, kind] of sources) {
    const files = filesOf(sourceDir(work, kind, p), kind).filter((f) => !nameFilter.test(f.rel));
    const { pairs, names } = await pairsOf(files, p.name);
    let dropped = 0;
    const kept: Pair[] = [];
    for (const pair of pairs) {
      const key = hash(`${pair.q}\n${pair.c}`);
      if (seen.has(key) || forbidden.has(pair.h)) {
        dropped++;
        continue;
      }
      seen.add(key);
      kept.push(pair);
    }
    // Large packages (Django, SymPy, the standard library) would drown the rest: a fixed sample.
    kept.sort((a, b) => (hash(`${a.path}#${a.symbol}`) < hash(`${b.path}#${b.symbol}`) ? -1 : 1));
    const sample = kept.slice(0, maxPairsPerPackage);
    const stream = devPackages.has(p.name) ? out.dev : out.train;
    for (const pair of sample) stream.write(`${JSON.stringify(pair)}\n`);
    if (!devPackages.has(p.name)) {
      const named = names.filter((n) => !forbidden.has(n.h) && !seen.has(hash(`name\n${n.q}\n${n.c}`)));
      named.forEach((n) => seen.add(hash(`name\n${n.q}\n${n.c}`)));
      named.sort((a, b) => (hash(`${a.path}#${a.symbol}`) < hash(`${b.path}#${b.symbol}`) ? -1 : 1));
      for (const pair of named.slice(0, maxPairsPerPackage)) out.names.write(`${JSON.stringify(pair)}\n`);
    }
    counts[p.name] = { pairs: sample.length, dropped };
    console.log(`${p.name}@${p.version}: ${sample.length} pairs (${kept.length} before the cap, ${dropped} duplicates or guarded)`);
  }
  await Promise.all(Object.values(out).map((s) => new Promise((r) => s.end(r))));
  const total = (dev: boolean) =>
    Object.entries(counts)
      .filter(([n]) => devPackages.has(n) === dev)
      .reduce((a, [, c]) => a + c.pairs, 0);
  console.log(`training pairs: ${total(false)}; development pairs: ${total(true)}`);
}

if (require.main === module) {
  const work = process.argv[2];
  if (!work) {
    console.error('Usage: extractPairs.ts <work folder>');
    process.exit(2);
  }
  main(work).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
