// API keys in VS Code's SecretStorage: set by the user, handed to the server only when it asks
// for one to make a call. Never written to settings, logs or the output channel.
import * as vscode from 'vscode';
import type { ProviderId } from '../../protocol/machine';

export const secretTargets = [
  { id: 'openai', label: 'OpenAI', detail: 'platform.openai.com API key' },
  { id: 'azure', label: 'Azure OpenAI', detail: 'Key of your Azure OpenAI resource (set its endpoint in Settings: qlp.providers.azure.endpoint)' },
  { id: 'anthropic', label: 'Anthropic', detail: 'console.anthropic.com API key' },
  { id: 'groq', label: 'Groq', detail: 'console.groq.com API key' },
  { id: 'local', label: 'Local model server', detail: 'Only if your Ollama / LM Studio / llama.cpp / vLLM server requires a key' },
] as const satisfies ReadonlyArray<{ id: ProviderId; label: string; detail: string }>;

const storageKey = (provider: ProviderId) => `qlp.apiKey.${provider}`;

export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(provider: ProviderId): Thenable<string | undefined> {
    return this.storage.get(storageKey(provider));
  }

  store(provider: ProviderId, key: string): Thenable<void> {
    return this.storage.store(storageKey(provider), key);
  }

  delete(provider: ProviderId): Thenable<void> {
    return this.storage.delete(storageKey(provider));
  }
}
