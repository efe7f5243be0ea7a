// How generated tables write figures: one unit per kind, thousands separated, and a caption that
// names the file, the command, the date, the commit and the machine's load.
import type { Results } from '../results';

export const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (x: number, digits = 0) => `${x.toFixed(digits)} ms`;
export const seconds = (milliseconds: number, digits = 2) => `${(milliseconds / 1000).toFixed(digits)} s`;
export const kib = (bytes: number) => `${thousands(bytes / 1024)} KiB`;
export const mib = (bytes: number, digits = 1) => `${(bytes / 2 ** 20).toFixed(digits)} MiB`;
export const percent = (share: number) => `${Math.round(share * 100)} %`;

export const notMeasured = (command: string) => `not yet measured by \`${command}\``;

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One caption line per source: where the figures come from and when they were measured. */
export function caption(sources: Array<[file: string, command: string, results: Results | undefined]>): string {
  return sources
    .map(([file, command, results]) => {
      if (!results) return `\`bench/results/${file}.json\` (\`${command}\`): not written yet.`;
      const when = results.measuredAt.slice(0, 10);
      const at = [when, results.commit ? `commit ${results.commit}` : 'commit not recorded'];
      const machine = results.machine;
      if (machine) at.push(`${machine.cpus} cores`, `Node ${machine.node.replace(/^v/, '')}`, `load average ${machine.loadAverage[0]}`);
      return `\`bench/results/${file}.json\` (\`${command}\`): ${at.join(', ')}.`;
    })
    .map((l) => `_${l}_`)
    .join('\\\n');
}

export function block(captionText: string, body: string): string {
  return `${captionText}\n\n${body}\n`;
}
