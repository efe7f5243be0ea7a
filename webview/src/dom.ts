// Tiny DOM helpers shared by the panels (no framework: the views are small).
import '@vscode-elements/elements/dist/vscode-button/index.js';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export function icon(name: string): HTMLElement {
  return el('span', { className: `codicon codicon-${name}`, ariaHidden: 'true' });
}

/** A themed button (vscode-elements) that calls `onClick`; keyboard reachable like any button. */
export function button(label: string, onClick: () => void, secondary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** `1 call`, `2 calls`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
