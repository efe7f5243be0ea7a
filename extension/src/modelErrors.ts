// How a failed model call reads in the editor: the engine's sentence with the URL it tried added
// after the provider's name, and what kind of failure it is, so the panel and the connection test
// can offer the way forward (set up a model, Retry, open the provider's settings). Pure: no `vscode`.

export type ModelFailure = 'noModel' | 'modelDown' | 'other';

/** The provider names the engine's messages use, and the setting holding each one's URL. */
export const providerEndpoints = [
  { name: 'the local model server', id: 'local', setting: 'qlp.providers.local.baseUrl' },
  { name: 'Azure OpenAI', id: 'azure', setting: 'qlp.providers.azure.endpoint' },
  { name: 'OpenAI', id: 'openai', setting: 'qlp.providers.openai.baseUrl' },
  { name: 'Anthropic', id: 'anthropic', setting: 'qlp.providers.anthropic.baseUrl' },
  { name: 'Groq', id: 'groq', setting: 'qlp.providers.groq.baseUrl' },
] as const;

export type EndpointId = (typeof providerEndpoints)[number]['id'];

const noModel = /No model provider is configured|No provider serves tier/;
const providerTrouble =
  /is unreachable|did not answer in time|failed with \d{3}|refused the API key|is rate limiting|does not know that model|rejected the request|sent a broken stream|Every T\d provider failed/;

export function classifyModelFailure(message: string): ModelFailure {
  if (noModel.test(message)) return 'noModel';
  if (providerTrouble.test(message)) return 'modelDown';
  return 'other';
}

/** A provider's name where a sentence starts with it (not "OpenAI" inside "Azure OpenAI"), before its verb. */
const namedAt = (name: string) => new RegExp(`(^|[:;] |[^A-Za-z] )(${name})(?! at ) (is|did|failed|refused|does|rejected|sent)\\b`, 'gi');

/** The providers a message names, in the order of `providerEndpoints`. */
export function providersNamed(message: string): EndpointId[] {
  return providerEndpoints.filter((p) => new RegExp(namedAt(p.name).source, 'i').test(message)).map((p) => p.id);
}

/**
 * `the local model server is unreachable: Connection error..` becomes `The local model server at
 * http://127.0.0.1:11434/v1 is unreachable: Connection error.` — each provider named gets the
 * URL it was called at (when known), and a doubled full stop goes.
 */
export function explainModelError(message: string, urls: Partial<Record<EndpointId, string>>): string {
  let text = message;
  for (const provider of providerEndpoints) {
    const url = urls[provider.id];
    if (url) text = text.replace(namedAt(provider.name), (_m, lead: string, name: string, verb: string) => `${lead}${name} at ${url} ${verb}`);
  }
  text = text.replace(/\.{2,}$/, '.').replace(/\.\.(\s|;)/g, '.$1');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
