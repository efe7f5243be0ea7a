// How the secret scan that keeps files out of snapshots, exports and pushes does on real code:
// false alarms on clean projects (this repository's language server, and the sources of a few
// packages in node_modules, docs and tests included), and the ordinary-secrets corpus kept out.
// Writes bench/results/secrets.json (the figures docs/capsules.md quotes) and prints a summary.
//   node --import tsx bench/secrets.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findLikelySecrets } from '../language-server/src/secrets/likelySecrets';
import { findSecrets } from '../language-server/src/secrets/secretlint';
import { looksBinary } from '../language-server/src/workspace/binary';
import { placeholderCorpus, secretCorpus } from '../test/support/secretCorpus';
import { writeResults } from './results';

const root = join(__dirname, '..');
const cleanProjects = [
  'language-server/src',
  'extension/src',
  'backend/src',
  'protocol',
  ...['pg', 'pg-protocol', 'fastify', 'ssh2', 'dockerode', 'jsonwebtoken', 'zod'].map((p) => `node_modules/${p}`),
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
    return entry.isFile() && statSync(path).size < 2 * 1024 * 1024 ? [path] : [];
  });
}

const short = (rule: string) => rule.replace(/^@secretlint\/secretlint-rule-/, '');

async function main() {
  const started = Date.now();
  const projects = [];
  for (const project of cleanProjects) {
    const dir = join(root, project);
    let scanned = 0;
    const flagged: Array<{ path: string; rules: string[]; lines: number[]; byQlpRulesOnly: boolean }> = [];
    for (const path of files(dir)) {
      const data = readFileSync(path);
      if (looksBinary(data)) continue;
      scanned++;
      const name = relative(dir, path);
      const hits = await findLikelySecrets(name, data.toString('utf8'));
      if (hits.length === 0) continue;
      const preset = await findSecrets(name, data.toString('utf8'));
      flagged.push({
        path: name,
        rules: [...new Set(hits.map((h) => short(h.ruleId)))].sort(),
        lines: [...new Set(hits.map((h) => h.line))].sort((a, b) => a - b),
        byQlpRulesOnly: preset.length === 0,
      });
    }
    projects.push({ project, scanned, flagged: flagged.length, flaggedOnlyByQlpRules: flagged.filter((f) => f.byQlpRulesOnly).length, files: flagged });
  }
  const corpus = secretCorpus();
  const missed: string[] = [];
  for (const [path, { text, line }] of Object.entries(corpus)) {
    if (!(await findLikelySecrets(path, text)).some((h) => h.line === line)) missed.push(path);
  }
  const falseOnPlaceholders: string[] = [];
  for (const [path, text] of Object.entries(placeholderCorpus)) if ((await findLikelySecrets(path, text)).length) falseOnPlaceholders.push(path);
  const result = {
    cleanProjects: projects,
    totals: { scanned: projects.reduce((s, p) => s + p.scanned, 0), flagged: projects.reduce((s, p) => s + p.flagged, 0) },
    corpus: { total: Object.keys(corpus).length, keptOut: Object.keys(corpus).length - missed.length, missed },
    placeholders: { total: Object.keys(placeholderCorpus).length, flagged: falseOnPlaceholders },
    durationMs: Date.now() - started,
  };
  const file = writeResults('secrets', result);
  for (const p of projects) {
    console.log(`${p.project}: ${p.scanned} files, ${p.flagged} flagged (${p.flaggedOnlyByQlpRules} only by QLP's rules)`);
    for (const f of p.files) console.log(`  ${f.path}: ${f.rules.join(', ')} (line ${f.lines.join(', ')})`);
  }
  console.log(
    `corpus: ${result.corpus.keptOut} of ${result.corpus.total} kept out; placeholders flagged: ${falseOnPlaceholders.length} of ${result.placeholders.total}`,
  );
  console.log(`Written to ${file}`);
}

void main();
