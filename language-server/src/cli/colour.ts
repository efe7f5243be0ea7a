// Colour as Node decides it: on a terminal that has colours, off with NO_COLOR (or
// NODE_DISABLE_COLORS, TERM=dumb), forced through a pipe with FORCE_COLOR (0 or false: off).
import { WriteStream } from 'node:tty';
import { styleText } from 'node:util';
import type { CliIo } from './command';

type Format = Parameters<typeof styleText>[0];

/** Whether `stream` takes colour under `env`: Node's own rule (util.styleText, console). */
export function takesColour(stream: { isTTY?: boolean; hasColors?: (env?: object) => boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return WriteStream.prototype.getColorDepth.call(stream, env) > 2;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors(env);
}

/** `text` in `format` when the stream takes colour, else unchanged. */
export function paint(io: Pick<CliIo, 'colour'>, stream: 'out' | 'err', format: Format, text: string): string {
  // The stream was checked above; Node 20's styleText would check stdout again by default.
  return io.colour?.[stream] ? styleText(format, text, { validateStream: false }) : text;
}
