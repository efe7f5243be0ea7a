// The extension's settings: one schema, the source of package.json's `contributes.configuration`
// (written by `npm run settings:sync`; a unit test fails when the two disagree).
// Secrets never live here: API keys are kept in SecretStorage.

export interface SettingSpec {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  default: unknown;
  markdownDescription: string;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  minimum?: number;
  maximum?: number;
  items?: { type: 'string'; enum?: readonly string[] };
  additionalProperties?: Record<string, unknown> | false;
  properties?: Record<string, unknown>;
  /** `machine` settings (paths, endpoints) cannot be set by a workspace a user opens. */
  scope?: 'application' | 'machine' | 'window' | 'resource';
}

/** Settings grouped by the category the Settings UI shows them under. */
export const settingsCategories = {
  Server: {
    'qlp.server.maxAutomaticRestarts': {
      type: 'integer',
      default: 4,
      minimum: 0,
      maximum: 20,
      markdownDescription:
        'How many times the QLP language server is restarted automatically after it crashes within three minutes. Past that, QLP waits for **QLP: Restart language server**.',
    },
    'qlp.trace.server': {
      type: 'string',
      default: 'off',
      enum: ['off', 'messages', 'verbose'],
      enumDescriptions: ['No trace.', 'Trace the names of messages.', 'Trace messages with their contents.'],
      markdownDescription: 'Traces the communication between VS Code and the QLP language server in the **QLP** output.',
    },
  },
  Providers: {
    'qlp.providers.openai.baseUrl': {
      type: 'string',
      default: '',
      scope: 'machine',
      markdownDescription: 'Base URL of the OpenAI API. Empty means the official endpoint; set it to use a compatible gateway.',
    },
    'qlp.providers.azure.endpoint': {
      type: 'string',
      default: '',
      scope: 'machine',
      markdownDescription: 'Azure OpenAI resource endpoint, e.g. `https://my-resource.openai.azure.com`.',
    },
    'qlp.providers.azure.deployment': {
      type: 'string',
      default: '',
      markdownDescription: 'Azure OpenAI deployment used for every tier that `qlp.tiers.*` does not map explicitly (e.g. `azure:my-gpt-4-1`).',
    },
    'qlp.providers.azure.apiVersion': {
      type: 'string',
      default: '2024-10-21',
      markdownDescription: 'Azure OpenAI API version.',
    },
    'qlp.providers.anthropic.baseUrl': {
      type: 'string',
      default: '',
      scope: 'machine',
      markdownDescription: 'Base URL of the Anthropic API. Empty means the official endpoint.',
    },
    'qlp.providers.groq.baseUrl': {
      type: 'string',
      default: 'https://api.groq.com/openai/v1',
      scope: 'machine',
      markdownDescription: 'Base URL of the Groq API (OpenAI-compatible).',
    },
    'qlp.providers.local.baseUrl': {
      type: 'string',
      default: 'http://127.0.0.1:11434/v1',
      scope: 'machine',
      markdownDescription:
        'Base URL of an OpenAI-compatible local server: Ollama (`http://127.0.0.1:11434/v1`), LM Studio (`http://127.0.0.1:1234/v1`), llama.cpp server or vLLM (`http://127.0.0.1:8000/v1`).',
    },
    'qlp.providers.local.model': {
      type: 'string',
      default: '',
      markdownDescription: 'Model name on the local server, e.g. `qwen2.5-coder:7b`. Empty means the local server is not used.',
    },
    'qlp.providers.preferred': {
      type: 'array',
      default: ['anthropic', 'openai', 'azure', 'groq', 'local'],
      items: { type: 'string', enum: ['openai', 'azure', 'anthropic', 'groq', 'local'] },
      markdownDescription: 'Order in which configured providers serve a tier that `qlp.tiers.*` leaves empty; later ones are fallbacks when the first is down.',
    },
  },
  Tiers: {
    'qlp.tiers.T0': {
      type: 'string',
      default: '',
      markdownDescription:
        "Cheap, fast tier: `provider:model`, several separated by commas for fallbacks (e.g. `groq:llama-3.1-8b-instant, openai:gpt-4.1-nano`). Empty: each configured provider's default.",
    },
    'qlp.tiers.T1': {
      type: 'string',
      default: '',
      markdownDescription: "Mid tier: `provider:model[, provider:model…]`. Empty: each configured provider's default.",
    },
    'qlp.tiers.T2': {
      type: 'string',
      default: '',
      markdownDescription: "Strong tier: `provider:model[, provider:model…]`. Empty: each configured provider's default.",
    },
    'qlp.tiers.T3': {
      type: 'string',
      default: '',
      markdownDescription: 'Strongest tier, used for the hardest tasks and after escalation: `provider:model[, provider:model…]`.',
    },
  },
  Budget: {
    'qlp.budget.perGenerationUsd': {
      type: 'number',
      default: 2,
      minimum: 0,
      markdownDescription: 'Most a single generation may spend on model calls, in USD. Calls that could exceed it are not made. `0` means no limit.',
    },
    'qlp.budget.perDayUsd': {
      type: 'number',
      default: 10,
      minimum: 0,
      markdownDescription: 'Most all model calls of one day may spend, in USD (editor and command line together). A warning comes at 80%. `0` means no limit.',
    },
    'qlp.pricing': {
      type: 'object',
      default: {},
      additionalProperties: {
        type: 'object',
        properties: { inputPerMTok: { type: 'number', minimum: 0 }, outputPerMTok: { type: 'number', minimum: 0 } },
        required: ['inputPerMTok', 'outputPerMTok'],
      },
      markdownDescription:
        'Price overrides in USD per million tokens, keyed by `provider:model-prefix`, e.g. `{ "azure:my-deployment": { "inputPerMTok": 2, "outputPerMTok": 8 } }`. See docs/pricing.md for the built-in table.',
    },
  },
  Models: {
    'qlp.models.requestTimeoutSeconds': {
      type: 'integer',
      default: 60,
      minimum: 5,
      maximum: 600,
      markdownDescription: 'How long to wait for a model provider to start answering, in seconds.',
    },
    'qlp.models.idleTimeoutSeconds': {
      type: 'integer',
      default: 30,
      minimum: 5,
      maximum: 600,
      markdownDescription: 'How long a streaming answer may pause before it is treated as stalled, in seconds.',
    },
    'qlp.models.maxAttempts': {
      type: 'integer',
      default: 3,
      minimum: 1,
      maximum: 10,
      markdownDescription:
        'Attempts per provider for rate limits, server errors and timeouts (with backoff) before falling back to the next provider of the tier. A refused key is never retried.',
    },
  },
  Sandbox: {
    'qlp.sandbox.mode': {
      type: 'string',
      default: 'auto',
      enum: ['auto', 'docker', 'bwrap'],
      enumDescriptions: [
        'Docker when an engine answers, else bubblewrap.',
        'Always a Docker container (DOCKER_HOST or the default socket).',
        'Always bubblewrap (Linux, no daemon needed).',
      ],
      markdownDescription: 'Where generated tests run. Generated code never runs outside a sandbox.',
    },
    'qlp.sandbox.timeoutSeconds': {
      type: 'integer',
      default: 120,
      minimum: 1,
      maximum: 3600,
      markdownDescription: 'Wall-clock limit for one sandboxed test run, in seconds.',
    },
    'qlp.sandbox.memoryMb': {
      type: 'integer',
      default: 1024,
      minimum: 64,
      maximum: 65536,
      markdownDescription: 'Memory limit of the sandbox, in MiB (swap is not added on top).',
    },
    'qlp.sandbox.allowNetworkForInstall': {
      type: 'boolean',
      default: false,
      // A folder the user opens must not be able to turn the network on for its own installs.
      scope: 'machine',
      markdownDescription: 'Allow network access while dependencies are installed. Tests always run without network.',
    },
    'qlp.sandbox.cpus': {
      type: 'number',
      default: 1,
      minimum: 0.1,
      maximum: 64,
      markdownDescription: 'CPU cores the sandbox may use (fractions allowed).',
    },
    'qlp.sandbox.pids': {
      type: 'integer',
      default: 256,
      minimum: 16,
      maximum: 32768,
      markdownDescription: 'Most processes and threads the sandbox may run at once (stops fork bombs).',
    },
    'qlp.sandbox.diskMb': {
      type: 'integer',
      default: 512,
      minimum: 16,
      maximum: 65536,
      markdownDescription:
        "Size of the sandbox's writable work folder and of its `/tmp`, each, in MiB. Both live in memory and count against `qlp.sandbox.memoryMb`.",
    },
    'qlp.sandbox.outputKb': {
      type: 'integer',
      default: 1024,
      minimum: 16,
      maximum: 65536,
      markdownDescription: 'Output kept per stream, in KiB: the first and last halves; what is cut from the middle is counted, hashed and reported.',
    },
    'qlp.sandbox.image': {
      type: 'object',
      default: { node: '', python: '' },
      properties: { node: { type: 'string' }, python: { type: 'string' } },
      additionalProperties: false,
      scope: 'machine',
      markdownDescription:
        'Docker image per stack, e.g. `{ "node": "node:20", "python": "python:3.12-slim" }` (pulled on first use). Empty means the offline image: an empty root with this machine\'s `/usr` mounted read-only, created without any registry.',
    },
  },
  Index: {
    'qlp.index.enabled': {
      type: 'boolean',
      default: true,
      markdownDescription: 'Index the workspace in the background for semantic search and generation context.',
    },
    'qlp.index.maxFileSizeKb': {
      type: 'integer',
      default: 512,
      minimum: 1,
      maximum: 65536,
      markdownDescription: 'Files larger than this (KiB) are not indexed.',
    },
    'qlp.index.exclude': {
      type: 'array',
      default: [],
      items: { type: 'string' },
      markdownDescription: 'Glob patterns left out of the index, on top of `.gitignore`.',
    },
    'qlp.index.embedder': {
      type: 'string',
      default: 'learned',
      markdownDescription:
        "How chunks become vectors: `learned` (QLP's own code-search model, shipped with the extension, offline; see docs/search-model.md), `hash` (offline, no model: word and spelling overlap only), `openai[:model]`, `azure:<deployment>` or `ollama[:model]`. Remote embedders use the endpoint in `qlp.providers.openai.baseUrl`, `qlp.providers.azure.endpoint` or `qlp.providers.local.baseUrl` (Ollama's `/v1`) and the key set with **QLP: Set API key**. Each embedder keeps its own table.",
    },
  },
  Validation: {
    'qlp.validate.enabled': {
      type: 'boolean',
      default: true,
      markdownDescription: 'Validate files as they are opened, edited and saved, and offer **QLP: Validate workspace**.',
    },
    'qlp.validate.stages': {
      type: 'array',
      default: ['syntax', 'lint', 'types', 'security'],
      items: { type: 'string', enum: ['syntax', 'lint', 'types', 'security', 'tests'] },
      markdownDescription:
        'Stages to run: `syntax` (parsers), `lint` (ESLint, Ruff), `types` (TypeScript, pyright), `security` (eslint-plugin-security, SDL, Ruff `S` rules, secretlint) and `tests` (in the sandbox, workspace validation only).',
    },
    'qlp.validate.languages': {
      type: 'array',
      default: ['typescript', 'javascript', 'python', 'json', 'yaml', 'toml', 'dockerfile'],
      items: { type: 'string', enum: ['typescript', 'javascript', 'python', 'json', 'yaml', 'toml', 'dockerfile'] },
      markdownDescription: 'Languages to validate. Secrets are looked for in every other text file while the `security` stage is on.',
    },
    'qlp.validate.onType': {
      type: 'boolean',
      default: true,
      markdownDescription:
        'Validate open files while you type (after a pause), not only when they are opened or saved. Python types are checked on open and save.',
    },
    'qlp.validate.typesWithBuiltinTypeScript': {
      type: 'boolean',
      default: false,
      markdownDescription:
        "Also report TypeScript syntax and type errors for TypeScript and JavaScript files open in the editor while VS Code's built-in TypeScript extension is enabled (it reports them already, so by default QLP leaves them to it and the Problems panel lists each once, after **QLP: Validate workspace** too). Files not open, and `qlp validate`, always get QLP's.",
    },
    'qlp.validate.deferToExtensions': {
      type: 'boolean',
      default: true,
      markdownDescription:
        "Leave to the ESLint, Ruff, Pylance, Pyright and basedpyright extensions (and VS Code's built-in JSON support) what they already show: while one of them is active for an open file of its language, QLP does not report that tool's findings for it, so the Problems panel lists each problem once. QLP's security and secret rules always report. `qlp validate` never leaves anything out.",
    },
    'qlp.validate.debounceMs': {
      type: 'integer',
      default: 300,
      minimum: 0,
      maximum: 5000,
      markdownDescription: 'How long typing must pause before an open file is validated, in milliseconds. A new edit cancels the run it supersedes.',
    },
    'qlp.validate.maxFileSizeKb': {
      type: 'integer',
      default: 1024,
      minimum: 1,
      maximum: 65536,
      markdownDescription: 'Files larger than this (KiB) are not validated; a note says so.',
    },
  },
  Generation: {
    'qlp.generate.defaultStack': {
      type: 'string',
      default: 'auto',
      enum: ['auto', 'python-fastapi', 'node-ts-service', 'python-cli', 'node-cli'],
      enumDescriptions: [
        'Detected from the requirements.',
        'Python FastAPI service with pytest.',
        'Node.js + TypeScript HTTP service (Fastify) with node --test.',
        'Python command-line tool with pytest.',
        'Node.js command-line tool with node --test.',
      ],
      markdownDescription: 'The stack **QLP: Generate project** starts with; it can be changed in the generation panel.',
    },
    'qlp.generate.runTests': {
      type: 'boolean',
      default: true,
      markdownDescription: "Run the generated project's tests in the sandbox. Without them a project is never marked verified.",
    },
    'qlp.generate.maxRepairRounds': {
      type: 'integer',
      default: 3,
      minimum: 0,
      maximum: 10,
      markdownDescription: 'How many times failing files are regenerated with the findings and the failing test output before the run stops.',
    },
    'qlp.generate.minMutationScore': {
      type: 'number',
      default: 0.6,
      minimum: 0,
      maximum: 1,
      markdownDescription:
        'Share of mutants (small deliberate bugs in the code under test: a flipped comparison, a swapped operator, a removed statement) the generated tests must catch before a project is called verified. `0.6` means 60 %.',
    },
    'qlp.generate.parallelFiles': {
      type: 'integer',
      default: 3,
      minimum: 1,
      maximum: 16,
      markdownDescription: 'How many independent files are written at once (lower it for a local model server that serves one request at a time).',
    },
    'qlp.generate.maxFiles': {
      type: 'integer',
      default: 60,
      minimum: 1,
      maximum: 500,
      markdownDescription: 'The most files a plan may list; the rest are dropped with a note.',
    },
    'qlp.generate.maxFileKb': {
      type: 'integer',
      default: 256,
      minimum: 1,
      maximum: 4096,
      markdownDescription: 'The largest file (KiB) a model may write; a larger answer is stopped and the file marked failed.',
    },
  },
  Backend: {
    'qlp.backend.url': {
      type: 'string',
      default: '',
      scope: 'machine',
      markdownDescription: 'URL of a shared QLP team backend. Empty means capsules stay on this machine. The key is set with **QLP: Set API key**.',
    },
  },
} as const satisfies Record<string, Record<string, SettingSpec>>;

type Categories = typeof settingsCategories;
type AllSettings = { [C in keyof Categories]: Categories[C] }[keyof Categories];
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Flat = UnionToIntersection<AllSettings>;

export type SettingId = keyof Flat;

/** Every setting by id, flattened across categories. */
export const settingsSchema: Record<SettingId, SettingSpec> = Object.assign({}, ...Object.values(settingsCategories)) as Record<SettingId, SettingSpec>;

/** The default value of a setting. */
export function settingDefault<T = unknown>(id: SettingId): T {
  return settingsSchema[id].default as T;
}

/** package.json's `contributes.configuration`, one entry per category, in declaration order. */
export function toContributesConfiguration(): Array<{ title: string; properties: Record<string, SettingSpec> }> {
  return Object.entries(settingsCategories).map(([category, properties]) => ({
    title: `QLP: ${category}`,
    properties: properties as Record<string, SettingSpec>,
  }));
}
