// The generation settings the editor sends (`qlp.generate.*`), with the schema's defaults for
// whatever is missing or malformed.
import { settingDefault } from '../../../protocol/settings';
import type { GenerationLimits } from './runContext';

export interface GenerationSettings {
  defaultStack: string;
  runTests: boolean;
  limits: Partial<GenerationLimits>;
}

function integer(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** `section` is the `generate` object of the `qlp` configuration (or undefined). */
export function generationSettings(section: Record<string, unknown> | undefined): GenerationSettings {
  const s = section ?? {};
  return {
    defaultStack: typeof s.defaultStack === 'string' ? s.defaultStack : settingDefault<string>('qlp.generate.defaultStack'),
    runTests: typeof s.runTests === 'boolean' ? s.runTests : settingDefault<boolean>('qlp.generate.runTests'),
    limits: {
      maxRepairRounds: integer(s.maxRepairRounds, settingDefault<number>('qlp.generate.maxRepairRounds'), 0, 10),
      minMutationScore:
        typeof s.minMutationScore === 'number' && s.minMutationScore >= 0 && s.minMutationScore <= 1
          ? s.minMutationScore
          : settingDefault<number>('qlp.generate.minMutationScore'),
      parallelFiles: integer(s.parallelFiles, settingDefault<number>('qlp.generate.parallelFiles'), 1, 16),
      maxFiles: integer(s.maxFiles, settingDefault<number>('qlp.generate.maxFiles'), 1, 500),
      maxFileBytes: integer(s.maxFileKb, settingDefault<number>('qlp.generate.maxFileKb'), 1, 4096) * 1024,
    },
  };
}
