// The prompts: what each model turn is asked, in the formats docs/protocol.md writes down.
import type { PlannedFile, ProjectPlan } from '../../../protocol/generate';
import type { ContextChunk } from '../index/retrieve';
import type { ChatMessage, ToolSpec } from '../llm/types';
import type { StackProfile } from './stacks';

export interface PromptTurn {
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
}

const system = (profile: StackProfile) =>
  [
    `You are QLP, a careful senior engineer generating a complete ${profile.label} (${profile.language}).`,
    'Every file you write is validated by real tools (parser, linter, type checker, security rules) and its tests run in a sandbox without network.',
    'Rules:',
    ...profile.rules.map((r) => `- ${r}`),
    profile.offlineDependencies.length
      ? `- Only these third-party packages are available: ${profile.offlineDependencies.join(', ')}.`
      : '- Use no third-party packages.',
  ].join('\n');

const planTool: ToolSpec = {
  name: 'write_plan',
  description: 'Record the project plan: every file with its purpose, the dependencies and the commands.',
  parameters: {
    type: 'object',
    required: ['summary', 'files', 'dependencies', 'commands'],
    properties: {
      summary: { type: 'string' },
      files: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'purpose', 'kind'],
          properties: {
            path: { type: 'string', description: 'relative, / separators' },
            purpose: { type: 'string' },
            kind: { type: 'string', enum: ['code', 'test', 'doc', 'config'] },
          },
        },
      },
      dependencies: {
        type: 'object',
        properties: { runtime: { type: 'array', items: { type: 'string' } }, dev: { type: 'array', items: { type: 'string' } } },
      },
      commands: { type: 'object', properties: { install: { type: 'string' }, test: { type: 'string' }, run: { type: 'string' } } },
    },
  },
};

function contextSection(context: ContextChunk[]): string {
  if (!context.length) return '';
  return ['', "Code from the user's workspace that may be relevant:", ...context.map((c) => `--- ${c.path}:${c.startLine}\n${c.text}`)].join('\n');
}

export function planPrompt(requirements: string, profile: StackProfile, context: ContextChunk[]): PromptTurn {
  return {
    system: system(profile),
    tools: [planTool],
    messages: [
      {
        role: 'user',
        content: [
          'Plan the project for these requirements:',
          '<requirements>',
          requirements,
          '</requirements>',
          '',
          `Stack: ${profile.label}. It must include: ${profile.requiredFiles.map((f) => f.path).join(', ')}.`,
          'Include tests that exercise every requirement, a README and the build/config files. Keep it small: only files the requirements need.',
          'Call the write_plan tool. Without tools, answer with one JSON object in a ```json block:',
          '{"summary": "...", "files": [{"path": "...", "purpose": "...", "kind": "code|test|doc|config"}], "dependencies": {"runtime": [], "dev": []}, "commands": {"install": "...", "test": "...", "run": "..."}}',
          contextSection(context),
        ].join('\n'),
      },
    ],
  };
}

function planOutline(plan: ProjectPlan): string {
  return plan.files.map((f) => `- ${f.path} (${f.kind}): ${f.purpose}`).join('\n');
}

export interface WrittenInterface {
  path: string;
  outline: string;
}

function interfacesSection(written: WrittenInterface[]): string {
  if (!written.length) return '';
  return ['', 'Files already written (their public interface; use these names exactly):', ...written.map((w) => `--- ${w.path}\n${w.outline}`)].join('\n');
}

const fileContract = (path: string) =>
  `Answer with the complete content of ${path} in one fenced code block whose info string is the path (\`\`\`${path}), and nothing else.`;

/** One user turn that starts with the requirements. */
const userTurn = (profile: StackProfile, requirements: string, lines: string[]): PromptTurn => ({
  system: system(profile),
  messages: [{ role: 'user', content: ['<requirements>', requirements, '</requirements>', '', ...lines].join('\n') }],
});

export function filePrompt(
  requirements: string,
  profile: StackProfile,
  plan: ProjectPlan,
  file: PlannedFile,
  written: WrittenInterface[],
  context: ContextChunk[],
): PromptTurn {
  return userTurn(profile, requirements, [
    `Project plan (${plan.summary}):`,
    planOutline(plan),
    `Commands: install \`${plan.commands.install}\`, test \`${plan.commands.test}\`, run \`${plan.commands.run}\`.`,
    interfacesSection(written),
    contextSection(context),
    '',
    `Write ${file.path} (${file.kind}): ${file.purpose}`,
    fileContract(file.path),
  ]);
}

/** What a repair of failing tests may and may not change (generate/testContract.ts enforces it). */
const testContractRule = [
  'The tests are the contract: they were written from the requirements and are frozen. Make them pass by fixing the code.',
  'Changes to test files, conftest.py, pytest options (addopts, markers, -k), test scripts or test-runner configs are discarded, and skipping, deselecting or weakening a test never counts.',
  'Only when a test contradicts the requirements, amend that test file: write a line `AMEND <path>: <the requirement it contradicts>` before its block, and keep every test and assertion (you may add more).',
].join('\n');

export interface RepairInput {
  requirements: string;
  plan: ProjectPlan;
  /** The files the model may change, with their current content. */
  files: Array<{ path: string; content: string }>;
  /** Findings, one line each (`path:line severity source code: message`). */
  findings: string[];
  /** The failing tests' output (tail), when tests failed. */
  testOutput?: string;
}

export function repairPrompt(profile: StackProfile, input: RepairInput): PromptTurn {
  return userTurn(profile, input.requirements, [
    'The project was checked and has problems. Fix them with the smallest correct change.',
    ...(input.testOutput ? ['', testContractRule] : []),
    ...(input.findings.length ? ['', 'Findings:', ...input.findings] : []),
    ...(input.testOutput ? ['', 'Failing test output:', '```', input.testOutput, '```'] : []),
    '',
    'Current files:',
    ...input.files.map((f) => `\`\`\`${f.path}\n${f.content}\`\`\``),
    '',
    'Answer with every file you change, each complete, in its own fenced block whose info string is its path. Do not repeat files you leave unchanged.',
  ]);
}

export function continuePrompt(turn: PromptTurn, partial: string): PromptTurn {
  return {
    ...turn,
    messages: [
      ...turn.messages,
      { role: 'assistant', content: partial },
      { role: 'user', content: 'Your answer was cut off. Continue exactly where it stopped, with no repetition and no preamble.' },
    ],
  };
}
