import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';
import { didYouMean } from './suggest';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** node:util parseArgs, with its errors turned into one-line usage errors. */
export function parseCommandArgs(command: string, args: string[], options: Options): ParsedArgs {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    const help = `see 'qlp ${command} --help'`;
    const option = /'([^']+)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const near = option.startsWith('--') ? didYouMean(option, Object.keys(options), '--') : '';
      throw new UsageError(`unknown option '${option}' for '${command}'${near}; ${help}.`);
    }
    throw new UsageError(`${message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')}; ${help}.`);
  }
}
