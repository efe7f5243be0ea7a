// The stack profiles and how one is picked from the requirements when the user names none.
import type { StackSummary } from '../../../../protocol/generate';
import { GenerationInputError } from '../errors';
import { nodeCli } from './nodeCli';
import { nodeTypescriptService } from './nodeTypescriptService';
import { pythonCli } from './pythonCli';
import { pythonFastapi } from './pythonFastapi';
import type { StackProfile } from './types';

export type { StackProfile } from './types';

export const stackProfiles: readonly StackProfile[] = [pythonFastapi, nodeTypescriptService, pythonCli, nodeCli];

export const defaultStack = pythonFastapi;

export function stackSummaries(): StackSummary[] {
  return stackProfiles.map(({ id, label, description }) => ({ id, label, description }));
}

export function stackById(id: string): StackProfile {
  const profile = stackProfiles.find((p) => p.id === id);
  if (!profile) throw new GenerationInputError(`'${id}' is not a stack; use one of ${stackProfiles.map((p) => p.id).join(', ')}.`);
  return profile;
}

/** The profile whose signals the requirements match most (every signal counts once); ties keep the listed order. */
export function detectStack(requirements: string): { profile: StackProfile; reason: string } {
  let best = defaultStack;
  let bestScore = 0;
  for (const profile of stackProfiles) {
    const score = profile.signals.filter((s) => s.test(requirements)).length;
    if (score > bestScore) {
      best = profile;
      bestScore = score;
    }
  }
  return {
    profile: best,
    reason: bestScore ? `matched ${bestScore} of its signals in the requirements` : 'the default stack (nothing in the requirements pointed elsewhere)',
  };
}
