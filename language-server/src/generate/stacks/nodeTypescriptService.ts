import type { StackProfile } from './types';

export const nodeTypescriptService: StackProfile = {
  id: 'node-ts-service',
  label: 'Node.js + TypeScript HTTP service',
  description: "An HTTP API with Fastify in TypeScript, tested with node --test through tsx and Fastify's inject.",
  language: 'typescript',
  sandbox: 'node',
  signals: [/\b(api|rest|http|endpoints?|service|crud|server)\b/i, /\b(typescript|node(\.js)?|express|fastify|ts)\b/i],
  commands: { install: 'npm install', test: 'npm test', run: 'npm start' },
  requiredFiles: [
    {
      path: 'package.json',
      purpose:
        '"type": "module"; dependencies fastify; devDependencies typescript, tsx, @types/node; scripts: "test": "node --import tsx --test test/*.test.ts", "start": "tsx src/server.ts", "typecheck": "tsc --noEmit".',
      kind: 'config',
    },
    { path: 'tsconfig.json', purpose: 'strict, module and moduleResolution NodeNext, target ES2022, noEmit, include src and test.', kind: 'config' },
    { path: 'src/app.ts', purpose: 'export function buildApp(): FastifyInstance with the routes (no listen).', kind: 'code' },
    { path: 'src/server.ts', purpose: 'Starts buildApp() on PORT (default 3000).', kind: 'code' },
    { path: 'test/app.test.ts', purpose: 'node:test tests calling app.inject().', kind: 'test' },
    { path: 'README.md', purpose: 'What the service does, how to install, test and run it.', kind: 'doc' },
  ],
  offlineDependencies: ['fastify', 'typescript', 'tsx', '@types/node'],
  rules: [
    'Strict TypeScript, no `any`; ES module imports with explicit `.js` suffixes for local files.',
    'Validate request bodies with Fastify JSON schemas; keep state in memory unless the requirements ask for storage.',
    'No secrets in code: read them from process.env.',
  ],
};
