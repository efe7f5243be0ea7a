// Which tests failed, and where: from the run's test cases (the runners' machine-readable
// results) when there are any, else from the runners' own output: node:test (TAP's `location`, the
// spec reporter's "failing tests" list), pytest's short summary (`FAILED file::test`), unittest's
// tracebacks, jest, vitest and mocha (their failure headers and stack frames). Paths inside the
// sandbox (`/project/…`, `file:///project/…`) become project paths; a location outside the project is
// dropped, never guessed.
import type { TestCase } from '../../../protocol/sandbox';
import { paths } from './layout';

export interface FailingTest {
  name: string;
  /** Relative to the project, `/`-separated; absent when the runner named no project file. */
  file?: string;
  /** 1-based; absent when only the file is known. */
  line?: number;
  column?: number;
  /** The first line of the failure's message. */
  message: string;
}

/** The project's files as the parsers may see them. */
export interface FailureProject {
  has(path: string): boolean;
  read(path: string): string | undefined;
}

type Parser = (text: string, project: FailureProject) => FailingTest[];

const ansi = /\u001b\[[0-9;]*m/g;
const workPrefix = `${paths.work}/`;

/** A runner's path as a project path, or undefined when it is not one of the project's files. */
export function projectPath(raw: string, project: FailureProject): string | undefined {
  let path = raw
    .trim()
    .replace(/^file:\/\//, '')
    .replace(/^\.\//, '');
  if (path.startsWith(workPrefix)) path = path.slice(workPrefix.length);
  return !path.startsWith('/') && !path.split('/').includes('node_modules') && project.has(path) ? path : undefined;
}

const firstLine = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? '';

/** The first few non-blank lines of a message (at most 500 characters), for a test case. */
export function firstLines(text: string | undefined, count = 5): string {
  const lines = (text ?? '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());
  const kept = lines.slice(0, count).join('\n');
  return kept.length > 500 ? `${kept.slice(0, 499)}…` : kept;
}

/** The first stack frame (`path:line:col`) in a project file. */
function frameIn(text: string, project: FailureProject): Pick<FailingTest, 'file' | 'line' | 'column'> | undefined {
  for (const m of text.matchAll(/(?:\(|\s|^)((?:file:\/\/)?[^\s()'"]+?):(\d+):(\d+)\)?/gm)) {
    const file = projectPath(m[1], project);
    if (file) return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** node:test's TAP: `not ok N - name` with a YAML block holding `location` and `error`. */
const nodeTap: Parser = (text, project) => {
  const found: FailingTest[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const head = /^(\s*)not ok \d+ - (.*?)(\s+# (?:TODO|SKIP)\b.*)?$/.exec(line);
    if (!head || head[3]) return;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*\.\.\.$/.test(lines[j]); j++) block.push(lines[j]);
    const yaml = block.join('\n');
    if (/failureType: 'subtestsFailed'/.test(yaml)) return;
    const location = /^\s*location: '(.+):(\d+):(\d+)'$/m.exec(yaml);
    const inline = /^\s*error: '(.*)'$/m.exec(yaml)?.[1];
    const multi = /^\s*error: \|-?\n\s*(.+)$/m.exec(yaml)?.[1];
    const file = location ? projectPath(location[1], project) : undefined;
    found.push({
      name: head[2].replace(/\\#/g, '#'),
      ...(file ? { file, line: Number(location![2]), column: Number(location![3]) } : frameIn(yaml, project)),
      message: (inline ?? multi ?? 'failed').replace(/\\'/g, "'").trim(),
    });
  });
  return found;
};

/** node:test's spec reporter: after "✖ failing tests:", `test at file:line:col` then `✖ name (…)`. */
const nodeSpec: Parser = (text, project) => {
  const section = text.split(/^✖ failing tests:$/m)[1];
  if (section === undefined) return [];
  return [...section.matchAll(/^test at (\S+):(\d+):(\d+)\n✖ (.*?)(?: \([\d.]+m?s\))?\n(.*)$/gm)].map((m) => {
    const file = projectPath(m[1], project);
    return { name: m[4], ...(file ? { file, line: Number(m[2]), column: Number(m[3]) } : {}), message: firstLine(m[5]) || 'failed' };
  });
};

/** The line of `def name` in a Python file (inside `class owner` when given). */
function pythonDefLine(source: string | undefined, name: string, owner?: string): number | undefined {
  if (!source) return undefined;
  const lines = source.split('\n');
  const start = owner
    ? Math.max(
        0,
        lines.findIndex((l) => new RegExp(`^\\s*class ${owner}\\b`).test(l)),
      )
    : 0;
  const def = new RegExp(`^\\s*(?:async\\s+)?def ${name}\\s*\\(`);
  const index = lines.findIndex((l, i) => i >= start && def.test(l));
  return index >= 0 ? index + 1 : undefined;
}

/** pytest's short test summary: `FAILED tests/test_x.py::Class::test_y[param] - message`. */
const pytest: Parser = (text, project) =>
  [...text.matchAll(/^(?:FAILED|ERROR) (\S+?)(?:::(\S+?))?(?: - (.*))?$/gm)].map((m) => {
    const file = projectPath(m[1], project);
    const parts = (m[2] ?? '').split('::');
    const name = parts[parts.length - 1].replace(/\[.*$/, '');
    const line = file && name ? pythonDefLine(project.read(file), name, parts.length > 1 ? parts[parts.length - 2] : undefined) : undefined;
    return { name: m[2] ? m[2] : m[1], ...(file ? { file } : {}), ...(line ? { line, column: 1 } : {}), message: m[3]?.trim() || 'failed' };
  });

/** unittest: `FAIL: test_y (module.Class.test_y)` then a traceback with `File "…", line N`. */
const unittest: Parser = (text, project) =>
  [...text.matchAll(/^(?:FAIL|ERROR): (\w+) \(([\w.]+)\)\n-+\n([\s\S]*?)(?=\n={10,}|\n-{10,}\nRan |(?![\s\S]))/gm)].map((m) => {
    const frames = [...m[3].matchAll(/^\s*File "(.+?)", line (\d+), in (\S+)/gm)].map((f) => ({
      file: projectPath(f[1], project),
      line: Number(f[2]),
      fn: f[3],
    }));
    const frame = frames.find((f) => f.file && f.fn === m[1]) ?? frames.reverse().find((f) => f.file);
    const owner = m[2].split('.').slice(-2, -1)[0];
    const line = frame?.file ? (pythonDefLine(project.read(frame.file), m[1], owner) ?? frame.line) : undefined;
    const lines = m[3].trim().split('\n');
    return { name: m[1], ...(frame?.file ? { file: frame.file, line, column: 1 } : {}), message: lines[lines.length - 1].trim() || 'failed' };
  });

/** jest: `● Suite › test` blocks with a code frame and stack; `FAIL file` names the test file. */
const jest: Parser = (text, project) => {
  const blocks = text.split(/^\s*● /m).slice(1);
  const files = [...text.matchAll(/^\s*FAIL\s+(\S+)/gm)].map((m) => projectPath(m[1], project)).filter((f): f is string => !!f);
  if (!files.length) return [];
  return blocks
    .filter((b) => !/^(Console|Test suite failed to run)\b/.test(b))
    .map((block) => {
      const [name, ...rest] = block.split('\n');
      return { name: name.trim(), ...(frameIn(rest.join('\n'), project) ?? { file: files[0] }), message: firstLine(rest.join('\n')) || 'failed' };
    });
};

/** vitest: ` FAIL  file > suite > test` then the error and ` ❯ file:line:col`. */
const vitest: Parser = (text, project) => {
  const heads = [...text.matchAll(/^\s*FAIL\s+(\S+) > (.+)$/gm)];
  return heads.map((m, i) => {
    const body = text.slice(m.index! + m[0].length, heads[i + 1]?.index ?? text.length);
    const at = /❯ (\S+):(\d+):(\d+)/.exec(body);
    const atFile = at ? projectPath(at[1], project) : undefined;
    const file = projectPath(m[1], project);
    const where = atFile ? { file: atFile, line: Number(at![2]), column: Number(at![3]) } : file ? { file } : {};
    return { name: m[2].trim(), ...where, message: firstLine(body.split(/❯/)[0]) || 'failed' };
  });
};

/** mocha: after `N failing`, blocks `1) suite\n   test:` with the error and a stack. */
const mocha: Parser = (text, project) => {
  const section = text.split(/^\s+\d+ failing$/m)[1];
  if (section === undefined) return [];
  return section
    .split(/^\s+\d+\) /m)
    .slice(1)
    .map((block) => {
      const title = block
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 3);
      const end = title.findIndex((l) => l.trim().endsWith(':'));
      const name = title
        .slice(0, end + 1)
        .map((l) => l.trim())
        .join(' ')
        .replace(/:$/, '');
      const message = title[end + 1]?.trim() ?? 'failed';
      return { name: name || firstLine(block), ...frameIn(block, project), message };
    });
};

const parsers: Parser[] = [nodeTap, nodeSpec, pytest, unittest, vitest, jest, mocha];

/** The failed and broken tests among a run's cases, at their test's line when the case has one. */
export function failingFromCases(cases: readonly TestCase[], project: FailureProject): FailingTest[] {
  return cases
    .filter((c) => c.status === 'failed' || c.status === 'error')
    .map((c) => {
      const file = c.file && project.has(c.file) ? c.file : undefined;
      return { name: c.name, ...(file ? { file } : {}), ...(file && c.line ? { line: c.line, column: 1 } : {}), message: firstLine(c.message) || c.status };
    });
}

/**
 * The failing tests: from the run's cases when it has them, else those the first runner that
 * reports any names in the output.
 */
export function parseFailingTests(output: string, project: FailureProject, cases?: readonly TestCase[] | null): FailingTest[] {
  if (cases) {
    const failing = failingFromCases(cases, project);
    if (failing.length) return failing;
  }
  const text = output.replace(ansi, '').replace(/\r\n/g, '\n');
  for (const parse of parsers) {
    const failing = parse(text, project);
    if (failing.length) return failing;
  }
  return [];
}
