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

/** A budget meter: the share spent (0–1) as a bar, marked near its end from 80 %. */
export function budgetMeter(share: number, label: string): HTMLElement {
  const fill = el('div', { className: 'fill' });
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  const percent = String(Math.round(share * 100));
  const attributes = { role: 'meter', ariaValueNow: percent, ariaValueMin: '0', ariaValueMax: '100', ariaLabel: label };
  return el('div', { className: share >= 0.8 ? 'meter near' : 'meter', ...attributes }, fill);
}
