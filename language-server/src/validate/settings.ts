// The validation settings the editor sends (`qlp.validate.*`), with the schema's defaults for
// whatever is missing or malformed.
import { settingDefault } from '../../../protocol/settings';
import { stageIds, validatedLanguages, type StageId, type ValidatedLanguage } from '../../../protocol/validate';

export interface ValidationSettings {
  enabled: boolean;
  stages: StageId[];
  languages: ValidatedLanguage[];
  onType: boolean;
  /** Type-check open TS/JS files even when the editor's built-in TypeScript does. */
  typesWithBuiltinTypeScript: boolean;
  /** Leave to other extensions (ESLint, Ruff, Pylance…) the findings they show for open files. */
  deferToExtensions: boolean;
  debounceMs: number;
  maxFileBytes: number;
}

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T[]): T[] {
  return Array.isArray(value) ? value.filter((v): v is T => allowed.includes(v as T)) : fallback;
}

function number(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** `section` is the `validate` object of the `qlp` configuration (or undefined). */
export function validationSettings(section: Record<string, unknown> | undefined): ValidationSettings {
  const s = section ?? {};
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : settingDefault<boolean>('qlp.validate.enabled'),
    stages: pick(s.stages, stageIds, settingDefault<StageId[]>('qlp.validate.stages')),
    languages: pick(s.languages, validatedLanguages, settingDefault<ValidatedLanguage[]>('qlp.validate.languages')),
    onType: typeof s.onType === 'boolean' ? s.onType : settingDefault<boolean>('qlp.validate.onType'),
    typesWithBuiltinTypeScript:
      typeof s.typesWithBuiltinTypeScript === 'boolean' ? s.typesWithBuiltinTypeScript : settingDefault<boolean>('qlp.validate.typesWithBuiltinTypeScript'),
    deferToExtensions: typeof s.deferToExtensions === 'boolean' ? s.deferToExtensions : settingDefault<boolean>('qlp.validate.deferToExtensions'),
    debounceMs: number(s.debounceMs, settingDefault<number>('qlp.validate.debounceMs'), 0, 5000),
    maxFileBytes: number(s.maxFileSizeKb, settingDefault<number>('qlp.validate.maxFileSizeKb'), 1, 65536) * 1024,
  };
}
