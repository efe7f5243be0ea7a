// A scripted model for generation tests, answering on the loopback model server like a real one
// would: a plan (as a tool call or as JSON text), each file in a fenced block, and repairs. Its
// project is a small Node.js CLI whose first `src/index.js` has a real bug (subtraction for
// addition); it fixes the bug only when the repair prompt carries the failing test's output.
import type { RecordedRequest, Reply } from './fakeModelServer';

export const buggySource = 'export function add(a, b) {\n  return a - b;\n}\n';
export const fixedSource = 'export function add(a, b) {\n  return a + b;\n}\n';

export const projectFiles: Record<string, string> = {
  'package.json':
    '{\n  "name": "adder",\n  "version": "1.0.0",\n  "type": "module",\n  "bin": { "adder": "bin/cli.js" },\n  "scripts": { "test": "node --test" }\n}\n',
  'bin/cli.js': "#!/usr/bin/env node\nimport { add } from '../src/index.js';\n\nconst [a, b] = process.argv.slice(2).map(Number);\nconsole.log(add(a, b));\n",
  'src/index.js': buggySource,
  'test/index.test.js':
    "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { add } from '../src/index.js';\n\ntest('adds two numbers', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
  'README.md': '# adder\n\nAdds two numbers: `adder 2 3` prints 5.\n',
};

export const plan = {
  summary: 'A command-line tool that adds two numbers.',
  files: Object.keys(projectFiles).map((path) => ({
    path,
    purpose: `the ${path} of the adder`,
    kind: path.endsWith('.md') ? 'doc' : path.startsWith('test/') ? 'test' : path.endsWith('.json') ? 'config' : 'code',
  })),
  dependencies: { runtime: [], dev: [] },
  commands: { install: 'npm install', test: 'npm test', run: 'node bin/cli.js 2 3' },
};

/** The text of every message of a request (OpenAI or Anthropic shape). */
export function promptText(request: RecordedRequest): string {
  const messages: Array<{ content: unknown }> = request.body?.messages ?? [];
  return messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

/** Splits a text into a few stream chunks, like a real model's deltas. */
export function chunks(text: string, size = 40): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface ScriptOptions {
  /** Plan as a tool call (default) or as JSON in prose. */
  planAs?: 'tool' | 'text';
  /** What the failing test output must contain for the fix to be given. */
  failureMarker?: RegExp;
  files?: Record<string, string>;
  planOverride?: unknown;
}

export function scriptedProject(options: ScriptOptions = {}): (request: RecordedRequest) => Reply {
  const files = options.files ?? projectFiles;
  const marker = options.failureMarker ?? /-1 !== 5/;
  return (request) => {
    const text = promptText(request);
    const usage = { input: Math.ceil(text.length / 4), output: 50 };
    if (text.includes('Plan the project')) {
      const planJson = JSON.stringify(options.planOverride ?? plan);
      if (options.planAs === 'text' || !request.body?.tools) return { text: chunks(`Here is the plan:\n\`\`\`json\n${planJson}\n\`\`\`\n`), usage };
      return { text: [], toolCalls: [{ name: 'write_plan', args: chunks(planJson, 60) }], finish: 'tool_calls', usage };
    }
    if (text.includes('The project was checked and has problems')) {
      const failing = /Failing test output:\n```\n([\s\S]*?)\n```/.exec(text)?.[1] ?? '';
      const source = marker.test(failing) ? fixedSource : buggySource;
      return { text: chunks(`The bug is in add.\n\`\`\`src/index.js\n${source}\`\`\`\n`), usage };
    }
    const path = /\nWrite (\S+) \(/.exec(text)?.[1];
    if (path && files[path] !== undefined) return { text: chunks(`Sure.\n\`\`\`${path}\n${files[path]}\`\`\`\nDone.`), usage };
    return { text: [`I cannot tell what to write for: ${text.slice(-200)}`], usage };
  };
}

/** A FastAPI service for the python-fastapi stack, correct from the start. */
export const fastapiFiles: Record<string, string> = {
  'requirements.txt': 'fastapi\nhttpx\npytest\n',
  'pyproject.toml':
    '[project]\nname = "todos"\nversion = "0.1.0"\n\n[tool.ruff]\nline-length = 100\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n',
  'app/__init__.py': '',
  'app/main.py':
    'from fastapi import FastAPI, HTTPException\nfrom pydantic import BaseModel\n\napp = FastAPI()\n\n\nclass Todo(BaseModel):\n    title: str\n    done: bool = False\n\n\ntodos: list[Todo] = []\n\n\n@app.post("/todos", status_code=201)\ndef add_todo(todo: Todo) -> Todo:\n    todos.append(todo)\n    return todo\n\n\n@app.get("/todos/{index}")\ndef get_todo(index: int) -> Todo:\n    if index < 0 or index >= len(todos):\n        raise HTTPException(status_code=404, detail="no such todo")\n    return todos[index]\n',
  'tests/test_api.py':
    'from fastapi.testclient import TestClient\n\nfrom app.main import app\n\nclient = TestClient(app)\n\n\ndef test_add_and_get() -> None:\n    created = client.post("/todos", json={"title": "write tests"})\n    assert created.status_code == 201\n    assert client.get("/todos/0").json() == {"title": "write tests", "done": False}\n\n\ndef test_missing() -> None:\n    assert client.get("/todos/99").status_code == 404\n',
  'README.md': '# todos\n\nA small todo API. `pip install -r requirements.txt`, `python -m pytest`, `uvicorn app.main:app`.\n',
};

export const fastapiPlan = {
  summary: 'A todo API.',
  files: Object.keys(fastapiFiles).map((path) => ({
    path,
    purpose: path,
    kind: path.endsWith('.md') ? 'doc' : path.startsWith('tests/') ? 'test' : path.endsWith('.py') ? 'code' : 'config',
  })),
  dependencies: { runtime: ['fastapi'], dev: ['pytest', 'httpx'] },
  commands: { install: 'pip install -r requirements.txt', test: 'python -m pytest -q', run: 'uvicorn app.main:app' },
};
