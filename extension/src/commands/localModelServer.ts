// Setting up a local model server (Ollama, LM Studio, llama.cpp, vLLM): its URL, then a connection
// test that lists the server's models (`GET <url>/models`, which every OpenAI-compatible server
// answers) and names the URL it tried, then the model (picked from that list), and a key only when
// the server asks for one. The URL and model go to the settings the engine reads.
import * as vscode from 'vscode';
import type { Secrets } from '../secrets';

const defaultUrl = 'http://127.0.0.1:11434/v1';
const connectTimeoutMs = 5000;

export type ServerAnswer = { ok: true; models: string[] } | { ok: false; reason: string; needsKey?: boolean };

/** Asks the server at `url` for its models: the connection test. */
export async function listModels(url: string, key?: string): Promise<ServerAnswer> {
  const endpoint = `${url.replace(/\/+$/, '')}/models`;
  try {
    const response = await fetch(endpoint, { headers: key ? { Authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(connectTimeoutMs) });
    if (response.status === 401 || response.status === 403)
      return { ok: false, needsKey: true, reason: `${endpoint} refused the request without a valid key (${response.status})` };
    if (!response.ok) return { ok: false, reason: `${endpoint} answered ${response.status} ${response.statusText}`.trim() };
    const body = (await response.json().catch(() => undefined)) as { data?: Array<{ id?: unknown }> } | undefined;
    if (!Array.isArray(body?.data))
      return { ok: false, reason: `${endpoint} did not answer with a model list; is this an OpenAI-compatible server's /v1 URL?` };
    return { ok: true, models: body.data.flatMap((m) => (typeof m.id === 'string' ? [m.id] : [])) };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (err as Error).name === 'TimeoutError' ? `no answer within ${connectTimeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (err as Error).message);
    return { ok: false, reason: `could not connect to ${endpoint} (${why})` };
  }
}

function validUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'Give an http:// or https:// URL.';
  } catch {
    return 'Give a URL such as http://127.0.0.1:11434/v1.';
  }
}

async function askUrl(current: string): Promise<string | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'Local model server (1/2): URL',
    prompt:
      "The server's OpenAI-compatible URL. Ollama: http://127.0.0.1:11434/v1 · LM Studio: http://127.0.0.1:1234/v1 · llama.cpp or vLLM: http://127.0.0.1:8000/v1",
    value: current,
    ignoreFocusOut: true,
    validateInput: validUrl,
  });
  return url?.trim().replace(/\/+$/, '');
}

async function askModel(models: string[], current: string): Promise<string | undefined> {
  const other = 'Another model…';
  if (models.length) {
    const picked = await vscode.window.showQuickPick(
      [
        ...models.map((label) => ({ label, description: label === current ? 'current' : undefined })),
        { label: other, description: 'a name the server did not list' },
      ],
      { title: 'Local model server (2/2): model', placeHolder: 'Which model should QLP use?', ignoreFocusOut: true },
    );
    if (!picked || picked.label !== other) return picked?.label;
  }
  const name = await vscode.window.showInputBox({
    title: 'Local model server (2/2): model',
    prompt: "The model's name on the server, e.g. qwen2.5-coder:7b",
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Name the model.'),
  });
  return name?.trim();
}

/** The whole set-up; resolves to the URL and model saved, or undefined when the user stopped. */
export async function setUpLocalServer(secrets: Secrets): Promise<{ url: string; model: string } | undefined> {
  const config = vscode.workspace.getConfiguration('qlp.providers.local');
  let url = config.get<string>('baseUrl') || defaultUrl;
  let key = await secrets.get('local');
  for (;;) {
    const asked = await askUrl(url);
    if (!asked) return undefined;
    url = asked;
    let answer = await listModels(url, key);
    if (!answer.ok && answer.needsKey) {
      const typed = await vscode.window.showInputBox({
        title: `API key for ${url}`,
        prompt: "This server asks for a key. It is kept in VS Code's secret storage, never in settings.",
        password: true,
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      key = typed.trim();
      if (key) await secrets.store('local', key);
      answer = await listModels(url, key);
    }
    if (answer.ok) {
      const model = await askModel(answer.models, config.get<string>('model') ?? '');
      if (!model) return undefined;
      await save(url, model);
      const listed = answer.models.includes(model);
      const message = listed
        ? `QLP: connected to the local model server at ${url}; it serves ${model}.`
        : `QLP: connected to the local model server at ${url}, but it does not list ${model}; check the model's name if generation fails.`;
      void (listed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(message, 'Test a prompt', 'Generate project').then((next) => {
        if (next === 'Test a prompt') void vscode.commands.executeCommand('qlp.testModels');
        if (next === 'Generate project') void vscode.commands.executeCommand('qlp.generateProject');
      });
      return { url, model };
    }
    const choice = await vscode.window.showErrorMessage(
      `QLP: the connection test failed: ${answer.reason}. Is the server running?`,
      'Change URL',
      'Save anyway',
    );
    if (choice === 'Save anyway') {
      const model = await askModel([], config.get<string>('model') ?? '');
      if (!model) return undefined;
      await save(url, model);
      return { url, model };
    }
    if (choice !== 'Change URL') return undefined;
  }
}

/** User settings (the URL is machine-scoped: in a remote window it is the remote machine's). */
async function save(url: string, model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('qlp.providers.local');
  await config.update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await config.update('model', model, vscode.ConfigurationTarget.Global);
}
