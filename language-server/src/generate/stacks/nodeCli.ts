import type { StackProfile } from './types';

export const nodeCli: StackProfile = {
  id: 'node-cli',
  label: 'Node.js command-line tool',
  description: 'A command-line tool in modern JavaScript (ES modules) with no dependencies, tested with node --test.',
  language: 'javascript',
  sandbox: 'node',
  signals: [/\b(cli|command[- ]line|terminal|script|tool)\b/i, /\b(node(\.js)?|javascript|npm)\b/i],
  commands: { install: 'npm install', test: 'npm test', run: 'node bin/cli.js --help' },
  requiredFiles: [
    { path: 'package.json', purpose: '"type": "module", a "bin" entry, and "scripts": { "test": "node --test" }; no dependencies.', kind: 'config' },
    {
      path: 'bin/cli.js',
      purpose: 'The executable entry (#!/usr/bin/env node) that parses process.argv with node:util parseArgs and calls src/.',
      kind: 'code',
    },
    { path: 'src/index.js', purpose: "The tool's logic as exported functions.", kind: 'code' },
    { path: 'test/index.test.js', purpose: 'node:test + node:assert/strict tests of src/index.js.', kind: 'test' },
    { path: 'README.md', purpose: 'Usage with examples.', kind: 'doc' },
  ],
  offlineDependencies: [],
  rules: [
    'Node.js 20 built-in modules only (node:fs, node:path, node:util, node:test, node:assert); ES modules with import/export.',
    'Logic lives in src/ as pure exported functions; bin/cli.js only parses arguments and prints.',
    'JSDoc on exported functions; no secrets in code.',
  ],
};
