// A stack profile: what a generated project of one kind looks like and how it is built, tested
// and run. Data plus a little code; the planner and writer turn it into prompts, the sandbox
// detects the same commands from the files it produces.
import type { PlannedFile } from '../../../../protocol/generate';
import type { StackId } from '../../../../protocol/sandbox';

export interface StackProfile {
  id: string;
  label: string;
  description: string;
  /** The language of its code files (named in prompts and fences). */
  language: 'python' | 'typescript' | 'javascript';
  /** How the sandbox runs it. */
  sandbox: StackId;
  /** Words in requirements that point to this stack; the best-scoring profile wins. */
  signals: RegExp[];
  commands: { install: string; test: string; run: string };
  /** Files every project of this stack has (build, lint and type configs, a test). */
  requiredFiles: PlannedFile[];
  /** Dependencies the sandbox has offline; the plan should stay within them. */
  offlineDependencies: string[];
  /** Conventions the model must follow, one per line. */
  rules: string[];
}
