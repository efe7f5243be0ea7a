// API keys in VS Code's SecretStorage: set by the user, handed to the server only when it asks
// for one to make a call. Never written to settings, logs or the output channel.
import * as vscode from 'vscode';
import type { SecretTargetId } from '../../protocol/lsp';
import { redact } from './redact';

export const secretTargets = [
  { id: 'openai', label: 'OpenAI', detail: 'platform.openai.com API key' },
  { id: 'azure', label: 'Azure OpenAI', detail: 'Key of your Azure OpenAI resource (set its endpoint in Settings: qlp.providers.azure.endpoint)' },
  { id: 'anthropic', label: 'Anthropic', detail: 'console.anthropic.com API key' },
  { id: 'groq', label: 'Groq', detail: 'console.groq.com API key' },
  { id: 'local', label: 'Local model server', detail: 'Only if your Ollama / LM Studio / llama.cpp / vLLM server requires a key' },
  { id: 'backend', label: 'QLP backend', detail: "Key of your team's QLP backend (set its URL in Settings: qlp.backend.url)" },
] as const satisfies ReadonlyArray<{ id: SecretTargetId; label: string; detail: string }>;

const storageKey = (provider: SecretTargetId) => `qlp.apiKey.${provider}`;

export class Secrets {
  /** Every key read or stored in this session, so output can be scrubbed of them. */
  readonly known = new Set<string>();

  constructor(private readonly storage: vscode.SecretStorage) {}

  async get(provider: SecretTargetId): Promise<string | undefined> {
    const key = await this.storage.get(storageKey(provider));
    if (key) this.known.add(key);
    return key;
  }

  store(provider: SecretTargetId, key: string): Thenable<void> {
    this.known.add(key);
    return this.storage.store(storageKey(provider), key);
  }

  delete(provider: SecretTargetId): Thenable<void> {
    return this.storage.delete(storageKey(provider));
  }
}

/** An output channel that writes through to another with known secrets redacted. */
export function redactingChannel(target: vscode.OutputChannel, secrets: Secrets): vscode.OutputChannel {
  const clean = (text: string) => redact(text, secrets.known);
  return {
    name: target.name,
    append: (value) => target.append(clean(value)),
    appendLine: (value) => target.appendLine(clean(value)),
    replace: (value) => target.replace(clean(value)),
    clear: () => target.clear(),
    show: (preserveFocus?: unknown) => target.show(preserveFocus === true),
    hide: () => target.hide(),
    dispose: () => undefined,
  };
}
