// Entry point VS Code calls inside the real extension host (extensionTestsPath): runs the
// mocha suites and writes a JSON report where the outside test asked for it (QLP_TEST_REPORT).
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

interface Report {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000 });
  mocha.suite.emit('pre-require', globalThis, 'inline', mocha);
  // Loaded after mocha installed its globals (describe/it).
  require('./extension.test');
  const report: Report = { passed: [], failed: [] };
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => report.passed.push(test.fullTitle()));
    runner.on('fail', (test, err: Error) => report.failed.push({ title: test.fullTitle(), error: String(err?.stack ?? err) }));
  });
  if (process.env.QLP_TEST_REPORT) writeFileSync(process.env.QLP_TEST_REPORT, JSON.stringify(report, null, 2));
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed.`);
}
