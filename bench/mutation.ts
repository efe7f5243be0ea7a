// `npm run bench:mutation`: what the mutation check costs beside the sandboxed test run, in each
// sandbox, on bench:generate's 15-file Node.js project (node:test) and on a small FastAPI project
// (pytest). One warm runner per project, as a generation uses: a test run, then the mutation
// check (30 mutants at most), three rounds, medians. Target: the check adds ≤ 30 % of the
// sandboxed test time, or ≤ 5 s. Writes bench/results/mutation.json.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MutationReport, SandboxKind } from '../protocol/sandbox';
import { probeDockerEngine } from '../language-server/src/machine/dockerProbe';
import { ProjectTestRunner } from '../language-server/src/sandbox/runTests';
import { sandboxSettingsFromEditor } from '../language-server/src/sandbox/settings';
import { writeTree } from '../test/support/capsuleFixtures';
import { writeResults } from './results';

const rounds = Number(process.env.QLP_BENCH_RUNS) || 3;
const repoRoot = join(__dirname, '..');

function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'qlp-bench-mutation-'));
  chmodSync(dir, 0o755);
  return writeTree(dir, files);
}

/** bench:generate's project: six modules with a test each, a command-line entry, a README. */
function nodeProject(): { files: Record<string, string>; code: string[]; tests: string[] } {
  const name = (i: number) => (i === 0 ? 'index' : `mod${i}`);
  const files: Record<string, string> = {
    'package.json': '{\n  "name": "bench-tool",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
    'bin/cli.js': "#!/usr/bin/env node\nimport { describe } from '../src/index.js';\n\nconsole.log(describe(process.argv.slice(2)));\n",
    'README.md': '# bench-tool\n\nA small tool with six modules.\n',
  };
  for (let i = 0; i < 6; i++) {
    files[`src/${name(i)}.js`] =
      `/** Scales a list by ${i + 1}. */\nexport function scale${i}(values) {\n  return values.map((v) => v * ${i + 1});\n}\n\nexport function describe(args) {\n  return \`\${args.length} arguments\`;\n}\n`;
    files[`test/${name(i)}.test.js`] =
      `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { scale${i} } from '../src/${name(i)}.js';\n\ntest('scale${i}', () => {\n  assert.deepEqual(scale${i}([1, 2]), [${i + 1}, ${2 * (i + 1)}]);\n});\n`;
  }
  const paths = Object.keys(files);
  return { files, code: paths.filter((p) => p.endsWith('.js') && !p.startsWith('test/')), tests: paths.filter((p) => p.startsWith('test/')) };
}

/** A small FastAPI service: items in memory, a priced basket, its pytest tests through TestClient. */
function fastapiProject(): { files: Record<string, string>; code: string[]; tests: string[] } {
  const files: Record<string, string> = {
    'app/__init__.py': '',
    'app/pricing.py': `"""Prices of a basket."""


def line_total(price: float, quantity: int) -> float:
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    return price * quantity


def discount(total: float, code: str) -> float:
    if code == "SAVE10" and total >= 50:
        return total * 0.9
    if code == "HALF" and not total < 100:
        return total / 2
    return total
`,
    'app/main.py': `from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from app.pricing import discount, line_total

app = FastAPI()
items: dict = {}


class Item(BaseModel):
    name: str
    price: float
    quantity: int = 1


@app.post("/items/{item_id}", status_code=201)
def create(item_id: int, item: Item):
    if item_id in items:
        raise HTTPException(status_code=409, detail="exists")
    items[item_id] = item.dict()
    return {"id": item_id, **items[item_id]}


@app.get("/items/{item_id}")
def read(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="not found")
    return items[item_id]


@app.get("/total")
def total(code: str = ""):
    subtotal = 0.0
    for item in items.values():
        subtotal += line_total(item["price"], item["quantity"])
    return {"total": round(discount(subtotal, code), 2)}
`,
    'tests/test_api.py': `import pytest
from fastapi.testclient import TestClient

from app import main
from app.pricing import discount, line_total

client = TestClient(main.app)


@pytest.fixture(autouse=True)
def empty():
    main.items.clear()


def test_create_and_read():
    assert client.post("/items/1", json={"name": "pen", "price": 2.5, "quantity": 4}).status_code == 201
    assert client.get("/items/1").json() == {"name": "pen", "price": 2.5, "quantity": 4}


def test_duplicate_is_refused():
    client.post("/items/1", json={"name": "pen", "price": 2.5})
    assert client.post("/items/1", json={"name": "pen", "price": 2.5}).status_code == 409


def test_missing_is_404():
    assert client.get("/items/9").status_code == 404


def test_total_with_discount():
    client.post("/items/1", json={"name": "desk", "price": 60, "quantity": 1})
    assert client.get("/total").json() == {"total": 60}
    assert client.get("/total", params={"code": "SAVE10"}).json() == {"total": 54}


def test_line_total():
    assert line_total(2.0, 3) == 6.0
    with pytest.raises(ValueError):
        line_total(2.0, 0)


def test_discount_edges():
    assert discount(50, "SAVE10") == 45
    assert discount(49.99, "SAVE10") == 49.99
    assert discount(100, "HALF") == 50
    assert discount(99, "HALF") == 99
`,
  };
  return { files, code: ['app/pricing.py', 'app/main.py'], tests: ['tests/test_api.py'] };
}

async function dockerHost(): Promise<string | undefined> {
  if (process.env.DOCKER_HOST) return (await probeDockerEngine(process.env)).reachable ? process.env.DOCKER_HOST : undefined;
  const started = spawnSync(join(repoRoot, 'scripts', 'docker-engine.sh'), ['start'], { encoding: 'utf8' });
  return started.status === 0 ? started.stdout.trim().split('\n').pop() : undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface Figures {
  sandbox: SandboxKind;
  project: string;
  /** The sandboxed test run (staging, sandbox, tests, receipt), warm runner. */
  testMs: number;
  mutationMs: number;
  /** The mutation check as a share of the test run. */
  share: number;
  mutants: number;
  killed: number;
  survived: number;
  timedOut: number;
  notRun: number;
  score: number;
  met: boolean;
  rounds: Array<{ testMs: number; mutationMs: number }>;
}

async function measure(kind: SandboxKind, env: NodeJS.ProcessEnv, name: string, project: ReturnType<typeof nodeProject>): Promise<Figures> {
  const storageDir = mkdtempSync(join(tmpdir(), 'qlp-bench-mutation-store-'));
  chmodSync(storageDir, 0o755);
  const dir = writeProject(project.files);
  const runner = new ProjectTestRunner({
    settings: { ...sandboxSettingsFromEditor({ sandbox: { timeoutSeconds: 120 } }), mode: kind },
    storageDir,
    env,
    reuse: true,
  });
  const all: Array<{ testMs: number; mutationMs: number; report: MutationReport }> = [];
  try {
    await runner.run(dir); // warm-up: image, skeleton, dependencies, file caches
    for (let i = 0; i < rounds; i++) {
      const run = await runner.run(dir);
      if (run.status !== 'passed') throw new Error(`${name} did not pass in ${kind}: ${run.error ?? ''}\n${run.stdout}\n${run.stderr}`);
      const started = performance.now();
      const report = await runner.mutate(dir, { codeFiles: project.code, testFiles: project.tests });
      if (report.error) throw new Error(`the mutation check of ${name} failed in ${kind}: ${report.error}`);
      all.push({ testMs: run.durationMs, mutationMs: performance.now() - started, report });
    }
  } finally {
    await runner.close();
  }
  const testMs = Math.round(median(all.map((r) => r.testMs)));
  const mutationMs = Math.round(median(all.map((r) => r.mutationMs)));
  const { report } = all[all.length - 1];
  return {
    sandbox: kind,
    project: name,
    testMs,
    mutationMs,
    share: Math.round((mutationMs / testMs) * 100) / 100,
    mutants: report.mutants,
    killed: report.killed,
    survived: report.survived,
    timedOut: report.timedOut,
    notRun: report.notRun,
    score: Math.round(report.score * 1000) / 1000,
    met: mutationMs <= 0.3 * testMs || mutationMs <= 5000,
    rounds: all.map((r) => ({ testMs: Math.round(r.testMs), mutationMs: Math.round(r.mutationMs) })),
  };
}

async function main(): Promise<void> {
  const host = await dockerHost();
  const kinds: Array<[SandboxKind, NodeJS.ProcessEnv]> = [['bwrap', process.env]];
  if (host) kinds.unshift(['docker', { ...process.env, DOCKER_HOST: host }]);
  else console.log('docker: no engine (set DOCKER_HOST, or run as root with dockerd installed); skipped');
  const projects: Array<[string, ReturnType<typeof nodeProject>]> = [
    ['15-file Node.js project (node:test)', nodeProject()],
    ['FastAPI project (pytest)', fastapiProject()],
  ];
  const figures: Figures[] = [];
  console.log(`Mutation check beside the sandboxed test run (warm runner, medians of ${rounds} rounds); target ≤ 30 % of the test time or ≤ 5 s`);
  for (const [kind, env] of kinds) {
    for (const [name, project] of projects) {
      const f = await measure(kind, env, name, project);
      figures.push(f);
      console.log(
        `${kind.padEnd(6)} ${name.padEnd(36)} tests ${String(f.testMs).padStart(5)} ms   mutation ${String(f.mutationMs).padStart(5)} ms (${Math.round(f.share * 100)} %)   ${f.mutants} mutants: ${f.killed} killed, ${f.timedOut} timed out, ${f.survived} survived, ${f.notRun} not run; score ${f.score.toFixed(2)}   ${f.met ? 'met' : 'NOT MET'}`,
      );
    }
  }
  console.log(`Written to ${writeResults('mutation', figures)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
