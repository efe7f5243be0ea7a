// Typed messaging between a webview and the extension host.
import type { MessageOf } from '../../protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** What the page saved for itself: VS Code gives it back when it loads the page again. */
export function savedState<T>(): Partial<T> {
  return (api.getState() as Partial<T> | undefined) ?? {};
}

export function saveState<T>(state: T): void {
  api.setState(state);
}

/** Sends a message of the map `M` to the extension. */
export function post<M>(message: MessageOf<M>): void {
  api.postMessage(message);
}

/** Calls `handler` for every message of the map `M` the extension sends. */
export function onMessage<M>(handler: (message: MessageOf<M>) => void): void {
  window.addEventListener('message', (event: MessageEvent<MessageOf<M>>) => handler(event.data));
}

/**
 * Tells the extension the view is ready, again every second until it answers: a message sent
 * while the view is still being wired up on the extension's side can be lost.
 */
export function announceReady<M>(ready: MessageOf<M>): void {
  const timer = setInterval(() => api.postMessage(ready), 1000);
  window.addEventListener('message', () => clearInterval(timer), { once: true });
  api.postMessage(ready);
}
