// QLP's mutation driver for Node.js projects, run inside the sandbox in /project:
//   node qlp-mutate.cjs <nonce> '<config>'
// config: { runner: { argv } (a test file is appended) | { command } (runs every test),
//           mutants: [{ id, file, start, end, replacement, expected, tests }], budgetMs }
// It runs each test file the mutants need once unchanged (a file that fails then cannot judge a
// mutant), then for each mutant writes the changed file, runs the test files that import it
// (fastest first, stopping at the first failure), kills a run past its time limit, and puts the
// file back. Each result is printed as a report block as soon as it is known.

export const nodeMutationDriverFile = 'qlp-mutate.cjs';

export const nodeMutationDriverSource = String.raw`
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');

const nonce = process.argv[2];
const config = JSON.parse(process.argv[3]);
const began = performance.now();
// The children run the tests alone: no reporters of QLP's test run.
const env = { ...process.env };
delete env.NODE_OPTIONS;

function block(name, value) {
  fs.writeSync(1, '\n@@qlp-report ' + nonce + ' ' + name + '@@\n' + JSON.stringify(value) + '\n@@qlp-end ' + nonce + '@@\n');
}

/** Runs one test file (or the whole command); resolves to 'passed', 'failed' or 'timeout' and the time taken. */
function runTests(file, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const [program, ...args] = config.runner.argv ?? ['/bin/sh', '-c', config.runner.command];
    const child = spawn(program, file ? [...args, file] : args, { stdio: 'ignore', detached: true, env });
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.on('error', () => undefined);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(); // whatever the tests left running
      const ms = performance.now() - started;
      resolve({ outcome: timedOut ? 'timeout' : code === 0 ? 'passed' : 'failed', ms, code, signal });
    });
  });
}

async function main() {
  const byCommand = !config.runner.argv;
  const needed = byCommand ? [''] : [...new Set(config.mutants.flatMap((m) => m.tests))].sort();
  const baseline = new Map();
  for (const file of needed) {
    const result = await runTests(file, Math.max(30000, config.budgetMs));
    baseline.set(file, result);
  }
  const usable = needed.filter((f) => baseline.get(f).outcome === 'passed');
  block('baseline', {
    status: usable.length ? 'passed' : 'failed',
    ms: Math.round([...baseline.values()].reduce((sum, r) => sum + r.ms, 0)),
    failing: needed.filter((f) => !usable.includes(f)),
  });
  if (!usable.length) return;
  const originals = new Map();
  for (const mutant of config.mutants) {
    if (performance.now() - began >= config.budgetMs) break;
    const tests = (byCommand ? [''] : mutant.tests).filter((t) => usable.includes(t)).sort((a, b) => baseline.get(a).ms - baseline.get(b).ms);
    if (!tests.length) {
      block('mutant', { id: mutant.id, status: 'error', detail: 'the tests that import it fail unchanged' });
      continue;
    }
    if (!originals.has(mutant.file)) originals.set(mutant.file, fs.readFileSync(mutant.file, 'utf8'));
    const source = originals.get(mutant.file);
    if (source.slice(mutant.start, mutant.end) !== mutant.expected) {
      block('mutant', { id: mutant.id, status: 'error', detail: 'the code changed since the mutant was made' });
      continue;
    }
    fs.writeFileSync(mutant.file, source.slice(0, mutant.start) + mutant.replacement + source.slice(mutant.end));
    const started = performance.now();
    let status = 'survived';
    try {
      for (const test of tests) {
        const result = await runTests(test, 1000 + 3 * baseline.get(test).ms);
        if (result.outcome === 'timeout') status = 'timedOut';
        else if (result.outcome === 'failed') status = 'killed';
        if (status !== 'survived') break;
      }
    } finally {
      fs.writeFileSync(mutant.file, source);
    }
    block('mutant', { id: mutant.id, status, ms: Math.round(performance.now() - started) });
  }
}

main().catch((err) => {
  block('failure', { message: String(err && err.stack || err) });
  process.exitCode = 1;
});
`;
