// The environment variables `qlp` reads, each described once; a command's help lists the ones it reads.

const providerVariables = {
  OPENAI_API_KEY: 'OpenAI key (OPENAI_BASE_URL: a compatible gateway instead).',
  OPENAI_BASE_URL: 'An OpenAI-compatible endpoint to use with OPENAI_API_KEY.',
  ANTHROPIC_API_KEY: 'Anthropic key (ANTHROPIC_BASE_URL: another endpoint).',
  ANTHROPIC_BASE_URL: 'An Anthropic-compatible endpoint to use with ANTHROPIC_API_KEY.',
  GROQ_API_KEY: 'Groq key.',
  AZURE_OPENAI_API_KEY: 'Azure OpenAI key; needs AZURE_OPENAI_ENDPOINT too.',
  AZURE_OPENAI_ENDPOINT: 'Azure OpenAI resource URL (https://<name>.openai.azure.com).',
  AZURE_OPENAI_DEPLOYMENT: 'Azure OpenAI deployment to call (else --model).',
  QLP_LOCAL_BASE_URL: 'A local OpenAI-compatible server (default Ollama, http://127.0.0.1:11434/v1).',
  QLP_LOCAL_MODEL: "The local server's model (e.g. qwen2.5-coder:7b); set it to use the local server.",
  QLP_LOCAL_API_KEY: 'A key for the local server, when it wants one.',
  QLP_TIER_T0: 'Models of tier T0 as provider:model[, …] (QLP_TIER_T1 … QLP_TIER_T3 likewise).',
} as const;

const sandboxVariables = {
  DOCKER_HOST: "The Docker engine (default: the local socket, or Docker Desktop's pipe on Windows).",
  QLP_SANDBOX_MODE: 'auto, docker or bwrap (bubblewrap runs on Linux only).',
  QLP_SANDBOX_TIMEOUT_SECONDS: 'Time limit of a test run (also QLP_SANDBOX_MEMORY_MB, _CPUS, _PIDS, _DISK_MB, _OUTPUT_KB).',
  QLP_SANDBOX_ALLOW_NETWORK_FOR_INSTALL: 'true lets dependency installs reach the network.',
  QLP_SANDBOX_IMAGE_NODE: 'Image for Node projects (QLP_SANDBOX_IMAGE_PYTHON for Python; empty: the offline image).',
} as const;

export const environmentVariables = {
  ...providerVariables,
  ...sandboxVariables,
  QLP_HOME: "QLP's data folder: cost ledger, capsule stores, indexes (default $XDG_DATA_HOME/qlp or ~/.local/share/qlp).",
  QLP_BUDGET_PER_GENERATION_USD: 'Spending limit of one generation in dollars (0: none).',
  QLP_BUDGET_PER_DAY_USD: 'Spending limit of a day in dollars (0: none).',
  QLP_PRICING: 'Prices per model as JSON, {"provider:model": {"inputPerMTok": 1, "outputPerMTok": 2}}.',
  QLP_API_KEY: 'The team backend key for capsule push and pull.',
  QLP_EMBEDDER: 'The embedder when --embedder is not given.',
  OLLAMA_HOST: 'The Ollama server of the ollama embedder (default http://127.0.0.1:11434).',
  QLP_ADMIN_KEY: "The backend's first admin key (at least 16 characters).",
  DATABASE_URL: 'PostgreSQL URL of the backend (else --database-url, else the embedded database).',
  QLP_RATE_LIMIT: 'Requests a key may make a minute (default 120).',
  PORT: "The backend's port when --port is not given (default 8787).",
  QLP_BACKEND_HOST: "The backend's address when --host is not given (default 127.0.0.1).",
  QLP_BACKEND_DATA: "The embedded database's folder when --data is not given.",
  QLP_BACKEND_LOG: 'Set to 1 to log each request (as --log-requests).',
  QLP_TRUST_PROXY: 'Proxies whose X-Forwarded-For is believed (as --trust-proxy).',
  PATH: 'Where bwrap (bubblewrap) is looked for.',
  NO_COLOR: 'Any value turns colour off; FORCE_COLOR=1 turns it on through a pipe.',
  QLP_DEBUG: 'Set to 1 to print the stack of an error.',
} as const;

export type EnvironmentVariable = keyof typeof environmentVariables;

/** Every variable that configures a model provider. */
export const providerEnvironment = Object.keys(providerVariables) as EnvironmentVariable[];
/** Every variable that configures the sandbox. */
export const sandboxEnvironment = Object.keys(sandboxVariables) as EnvironmentVariable[];
