// What a test file promises, read from its syntax tree (tree-sitter, no code runs): its test
// functions, how many real assertions each makes, which are marked skip/xfail/todo, and the
// modules it imports. A test that only calls code, or asserts a constant, asserts nothing.
import { withTree, type SyntaxNode } from '../index/treeSitter';
import { languageOf as workspaceLanguageOf } from '../workspace/languages';

export interface TestFunction {
  /** `name` for Python (`Class.name` in a test class); the title for JS/TS. */
  name: string;
  line: number;
  /** Assertions that check something computed (not `assert True`, not `assert.equal(1, 1)`). */
  assertions: number;
  /** Marked skip, skipif, xfail, todo or expectedFailure in the source. */
  marked: boolean;
}

export interface TestFileStatics {
  path: string;
  tests: TestFunction[];
  /** Module specifiers as written (`app.main`, `.models`, `../src/index.js`). */
  imports: string[];
}

const readable = ['python', 'javascript', 'typescript', 'tsx'] as const;
type Language = (typeof readable)[number];

/** The grammar a test file (or the code it imports) is read with; undefined for a language tests are not read in. */
export function languageOf(path: string): Language | undefined {
  const { grammar } = workspaceLanguageOf(path);
  return readable.find((language) => language === grammar);
}

function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  for (const child of node.namedChildren) {
    yield child;
    yield* descendants(child);
  }
}

const literalTypes = new Set(['true', 'false', 'none', 'integer', 'float', 'string', 'number', 'null', 'undefined', 'concatenated_string', 'template_string']);

/** Whether an expression checks something computed: it names a variable or calls something. */
function computed(node: SyntaxNode | null | undefined): boolean {
  if (!node || literalTypes.has(node.type)) return false;
  if (node.type === 'identifier' || node.type === 'call' || node.type === 'call_expression' || node.type === 'attribute' || node.type === 'member_expression')
    return true;
  return node.namedChildren.some((c) => computed(c));
}

// ---- Python ----------------------------------------------------------------------------------

const pyMark = /\b(pytest\.mark\.(skip|skipif|xfail)|unittest\.(skip|skipIf|skipUnless|expectedFailure)|(^|@)(skip|skipIf|skipUnless|expectedFailure|xfail)\b)/;

function pythonAssertions(body: SyntaxNode, helpers: Map<string, number>): { assertions: number; skipsItself: boolean } {
  let assertions = 0;
  let skipsItself = false;
  for (const n of descendants(body)) {
    if (n.type === 'assert_statement') {
      if (computed(n.namedChildren[0])) assertions++;
    } else if (n.type === 'call') {
      const callee = n.childForFieldName('function');
      const name = callee?.text ?? '';
      const args = n.childForFieldName('arguments');
      if (/(^|\.)(skip|xfail)$/.test(name) && /pytest|self/.test(name)) skipsItself = true;
      else if (/^self\.(assert|fail)/.test(name) || /(^|\.)(assert_\w+|assert[A-Z]\w*)$/.test(name)) {
        if (name.startsWith('self.fail') || args?.namedChildren.some((a) => computed(a))) assertions++;
      } else if (/^(pytest\.)?(raises|warns)$/.test(name)) assertions++;
      else if (callee?.type === 'identifier' && helpers.has(name)) assertions += helpers.get(name)!;
    }
  }
  return { assertions, skipsItself };
}

function pythonStatics(path: string, root: SyntaxNode): TestFileStatics {
  const imports: string[] = [];
  const defs: Array<{ node: SyntaxNode; owner?: string; decorators: string; ownerDecorators: string }> = [];
  const moduleMarked = /^pytestmark\s*=.*\b(skip|xfail)/m.test(root.text);
  // unittest's classes may have any name: their base says what they are.
  const testCaseClasses = new Set<string>();
  const definition = (n: SyntaxNode) => (n.type === 'decorated_definition' ? n.childForFieldName('definition') : n);
  const decoratorsOf = (n: SyntaxNode) =>
    n.type === 'decorated_definition'
      ? n.namedChildren
          .filter((c) => c.type === 'decorator')
          .map((d) => d.text)
          .join('\n')
      : '';
  for (const top of root.namedChildren) {
    const def = definition(top);
    if (top.type === 'import_statement' || top.type === 'import_from_statement') imports.push(...pythonImports(top));
    if (def?.type === 'function_definition') defs.push({ node: def, decorators: decoratorsOf(top), ownerDecorators: '' });
    if (def?.type === 'class_definition') {
      const className = def.childForFieldName('name')?.text ?? '';
      if (/TestCase\b/.test(def.childForFieldName('superclasses')?.text ?? '')) testCaseClasses.add(className);
      for (const member of def.childForFieldName('body')?.namedChildren ?? []) {
        const method = definition(member);
        if (method?.type === 'function_definition')
          defs.push({ node: method, owner: className, decorators: decoratorsOf(member), ownerDecorators: decoratorsOf(top) });
      }
    }
  }
  for (const n of descendants(root))
    if ((n.type === 'import_statement' || n.type === 'import_from_statement') && n.parent?.type !== 'module') imports.push(...pythonImports(n));
  const nameOf = (d: (typeof defs)[number]) => d.node.childForFieldName('name')?.text ?? '';
  // Helpers (non-test functions) that assert count for the tests that call them, one level deep.
  const helpers = new Map<string, number>();
  for (const d of defs) {
    if (d.owner || nameOf(d).startsWith('test')) continue;
    const count = pythonAssertions(d.node.childForFieldName('body')!, new Map()).assertions;
    if (count) helpers.set(nameOf(d), count);
  }
  const tests: TestFunction[] = [];
  for (const d of defs) {
    const name = nameOf(d);
    if (!name.startsWith('test')) continue;
    if (d.owner !== undefined && !/^Test|Test(s|Case)?$/.test(d.owner) && !testCaseClasses.has(d.owner)) continue;
    const { assertions, skipsItself } = pythonAssertions(d.node.childForFieldName('body')!, helpers);
    tests.push({
      name: d.owner ? `${d.owner}.${name}` : name,
      line: d.node.startPosition.row + 1,
      assertions,
      marked: moduleMarked || skipsItself || pyMark.test(d.decorators) || pyMark.test(d.ownerDecorators),
    });
  }
  return { path, tests, imports };
}

function pythonImports(node: SyntaxNode): string[] {
  if (node.type === 'import_from_statement') {
    const moduleNode = node.childForFieldName('module_name');
    const module = moduleNode?.text ?? '';
    const listed = node.namedChildren.filter((c) => (c.type === 'dotted_name' || c.type === 'aliased_import') && c.startIndex !== moduleNode?.startIndex);
    const names = listed.map((c) => (c.type === 'aliased_import' ? (c.childForFieldName('name')?.text ?? '') : c.text));
    // `from . import models` names modules; `from app.main import app` may name a module or a value.
    const joined = names.map((n) => (/^\.+$/.test(module) ? `${module}${n}` : `${module}.${n}`));
    return /^\.+$/.test(module) ? joined : [module, ...joined];
  }
  return node.namedChildren.map((c) => (c.type === 'aliased_import' ? (c.childForFieldName('name')?.text ?? '') : c.text)).filter(Boolean);
}

// ---- JavaScript / TypeScript -----------------------------------------------------------------

const testCallee = /^(test|it)(\.(only|skip|todo|concurrent|each))?$/;
const assertionRoot =
  /^(assert|expect|should|chai|t\.assert|t\.(ok|equal|deepEqual|strictEqual|notEqual|throws|rejects|match|same|is|not|deepStrictEqual|notDeepEqual|true|false))\b/;

function jsAssertions(body: SyntaxNode, helpers: Map<string, number>): number {
  let assertions = 0;
  for (const n of descendants(body)) {
    if (n.type !== 'call_expression') continue;
    const callee = n.childForFieldName('function');
    const name = callee?.text ?? '';
    const args = n.childForFieldName('arguments');
    if (assertionRoot.test(name)) {
      // `expect(x).toBe(y)` is one assertion: count the outer call only, when something computed is checked.
      if (n.parent?.type === 'member_expression') continue;
      const checked = [args, ...[...descendants(callee!)].filter((c) => c.type === 'arguments')].some((a) => a?.namedChildren.some((c) => computed(c)));
      if (checked) assertions++;
    } else if (callee?.type === 'identifier' && helpers.has(name)) assertions += helpers.get(name)!;
  }
  return assertions;
}

function jsStatics(path: string, root: SyntaxNode): TestFileStatics {
  const imports: string[] = [];
  const helpers = new Map<string, number>();
  const testCalls: SyntaxNode[] = [];
  for (const n of descendants(root)) {
    if (n.type === 'import_statement' || n.type === 'export_statement') {
      const source = n.childForFieldName('source');
      if (source) imports.push(source.text.slice(1, -1));
    } else if (n.type === 'call_expression') {
      const callee = n.childForFieldName('function')?.text ?? '';
      const first = n.childForFieldName('arguments')?.namedChildren[0];
      if ((callee === 'require' || n.childForFieldName('function')?.type === 'import') && first?.type === 'string') imports.push(first.text.slice(1, -1));
      else if (testCallee.test(callee)) testCalls.push(n);
    }
  }
  // Helper functions that assert count for the tests that call them, one level deep.
  for (const n of descendants(root)) {
    const name = n.type === 'function_declaration' ? n.childForFieldName('name')?.text : undefined;
    const count = name ? jsAssertions(n.childForFieldName('body')!, new Map()) : 0;
    if (name && count) helpers.set(name, count);
  }
  const tests = testCalls.map((call): TestFunction => {
    const callee = call.childForFieldName('function')!.text;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const title = args[0] && /string|template_string/.test(args[0].type) ? args[0].text.slice(1, -1) : callee;
    const callback = [...args].reverse().find((a) => a.type === 'arrow_function' || a.type === 'function_expression' || a.type === 'function');
    const options = args.find((a) => a.type === 'object')?.text ?? '';
    const marked = /\.(skip|todo)$/.test(callee) || /\b(skip|todo)\s*:\s*(true|['"`])/.test(options) || !callback;
    return { name: title, line: call.startPosition.row + 1, assertions: callback ? jsAssertions(callback, helpers) : 0, marked };
  });
  return { path, tests, imports };
}

/** The tests, assertions and imports of one test file; null for a language it cannot read. */
export async function readTestStatics(path: string, content: string): Promise<TestFileStatics | null> {
  const language = languageOf(path);
  if (!language) return null;
  return withTree(language, content, (root) => (language === 'python' ? pythonStatics(path, root) : jsStatics(path, root)));
}

/** Imports of a code file (the same reading as for tests), to follow what the tests reach. */
export async function readImports(path: string, content: string): Promise<string[]> {
  return (await readTestStatics(path, content))?.imports ?? [];
}
