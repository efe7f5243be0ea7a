// node:test's reporter for QLP's report: every test as a JUnit <testcase> with its file and line
// (Node 20's own junit reporter leaves the file out), written to the report folder when the run
// ends, one file per runner process (a script may start the runner more than once). It prints
// nothing: the human reporter beside it does.
import { reportDir } from '../reportBlocks';

export const nodeReporterFile = 'qlp-node-reporter.mjs';

export const nodeReporterSource = String.raw`
import { mkdirSync, writeFileSync } from 'node:fs';

const text = (s) => String(s ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const escape = (s) => text(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const attrs = (o) => Object.entries(o).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => ' ' + k + '="' + escape(v) + '"').join('');

function errorText(error) {
  const cause = error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof Error) return (cause.stack || cause.message || String(cause));
  return typeof cause === 'string' ? cause : JSON.stringify(cause) ?? String(cause);
}

export default async function* qlpReporter(source) {
  const cases = [];
  const suites = new Map();
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:start') {
      const stack = suites.get(data.file) ?? [];
      stack[data.nesting] = data.name;
      stack.length = data.nesting + 1;
      suites.set(data.file, stack);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const details = data.details ?? {};
    const failureType = details.error?.failureType;
    const isFile = data.nesting === 0 && data.name === data.file;
    // Suites and files are reported only when they broke by themselves (a hook, a file that does not load).
    if ((details.type === 'suite' || isFile) && (event.type === 'test:pass' || failureType === 'subtestsFailed')) continue;
    const stack = (suites.get(data.file) ?? []).slice(0, data.nesting);
    let status = event.type === 'test:pass' ? 'passed' : details.type === 'suite' || isFile || failureType === 'hookFailed' ? 'error' : 'failed';
    let message;
    if (data.todo !== undefined && data.todo !== false) { status = 'skipped'; message = 'todo' + (typeof data.todo === 'string' ? ': ' + data.todo : ''); }
    else if (data.skip !== undefined && data.skip !== false) { status = 'skipped'; message = typeof data.skip === 'string' ? data.skip : 'skipped'; }
    cases.push({ name: data.name, classname: stack.join(' > '), file: data.file, line: data.line, time: (details.duration_ms ?? 0) / 1000, status, message, error: status === 'failed' || status === 'error' ? errorText(details.error) : undefined });
  }
  const body = cases.map((c) => {
    const head = '<testcase' + attrs({ name: c.name, classname: c.classname, file: c.file, line: c.line, time: c.time.toFixed(6) });
    if (c.status === 'passed') return head + '/>';
    if (c.status === 'skipped') return head + '><skipped' + attrs({ message: c.message }) + '/></testcase>';
    const first = text(c.error).split('\n').find((l) => l.trim()) ?? c.status;
    const tag = c.status === 'error' ? 'error' : 'failure';
    return head + '><' + tag + attrs({ message: first.trim() }) + '>' + escape(c.error) + '</' + tag + '></testcase>';
  });
  mkdirSync('${reportDir}', { recursive: true });
  writeFileSync('${reportDir}/node-' + process.pid + '.xml', '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n<testsuite name="node:test" tests="' + cases.length + '">\n' + body.join('\n') + '\n</testsuite>\n</testsuites>\n');
}
`;
