// JUnit XML as the runners write it (pytest's xunit1, QLP's node:test reporter and unittest shim,
// vitest), read with fast-xml-parser into one list of test cases.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TestCase } from '../../../protocol/sandbox';
import { firstLines, projectPath, type FailureProject } from './failures';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Character references (&#10; in pytest's messages) as the characters they stand for.
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped', 'property'].includes(name),
});

export interface JunitOptions {
  /** pytest's xunit1 `line` is 0-based; everyone else's is 1-based. */
  zeroBasedLines?: boolean;
}

/** An element's children of one name; an element with neither attributes nor content parses as ''. */
const list = (value: unknown): Node[] => (Array.isArray(value) ? value.map((v) => (v && typeof v === 'object' ? (v as Node) : {})) : []);
const attr = (node: Node, name: string): string | undefined => (typeof node[name] === 'string' ? (node[name] as string) : undefined);
const body = (node: Node): string => (typeof node['#text'] === 'string' ? (node['#text'] as string) : '');

/** Every <testcase> under a node, through nested suites. */
function testcases(node: Node): Node[] {
  return [...list(node.testcase), ...list(node.testsuite).flatMap(testcases)];
}

function caseOf(node: Node, project: FailureProject, options: JunitOptions): TestCase {
  const failure = list(node.failure)[0];
  const error = list(node.error)[0];
  const skipped = list(node.skipped)[0];
  const unexpected = list((node.properties as Node | undefined)?.property).some(
    (p) => attr(p, 'name') === 'outcome' && attr(p, 'value') === 'unexpected success',
  );
  let status: TestCase['status'] = 'passed';
  let detail: Node | undefined;
  if (failure) [status, detail] = ['failed', failure];
  else if (error) [status, detail] = ['error', error];
  else if (skipped) [status, detail] = [/xfail|expectedFailure/.test(attr(skipped, 'type') ?? '') ? 'xfailed' : 'skipped', skipped];
  else if (unexpected) status = 'xpassed';
  const rawFile = attr(node, 'file');
  const classname = attr(node, 'classname') || undefined;
  // vitest names the file in classname.
  const file = (rawFile && projectPath(rawFile, project)) || (classname && projectPath(classname, project)) || null;
  const rawLine = Number(attr(node, 'line'));
  const line = Number.isInteger(rawLine) && attr(node, 'line') !== undefined ? rawLine + (options.zeroBasedLines ? 1 : 0) : undefined;
  const message = detail ? firstLines(attr(detail, 'message') || body(detail)) : '';
  const seconds = Number(attr(node, 'time'));
  return {
    file,
    name: attr(node, 'name') ?? '',
    ...(classname ? { classname } : {}),
    ...(line && line > 0 ? { line } : {}),
    status,
    ...(message ? { message } : {}),
    ...(Number.isFinite(seconds) ? { durationMs: Math.round(seconds * 1000 * 1000) / 1000 } : {}),
  };
}

/** The test cases of a JUnit XML document, or null when it is not one (malformed, or not JUnit). */
export function parseJunit(xml: string, project: FailureProject, options: JunitOptions = {}): TestCase[] | null {
  // No runner writes a DOCTYPE; refusing it rules out entity tricks.
  if (/<!DOCTYPE/i.test(xml) || XMLValidator.validate(xml) !== true) return null;
  const doc = parser.parse(xml) as Node;
  const top = doc.testsuites ?? doc.testsuite;
  if (top === undefined) return null;
  return list(Array.isArray(top) ? top : [top])
    .flatMap(testcases)
    .map((node) => caseOf(node, project, options));
}
