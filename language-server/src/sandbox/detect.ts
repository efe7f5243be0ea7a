// Which stack a project is, how its dependencies are installed and how its tests run: each stack
// detector answers from the project's files alone (nothing of the project runs to decide).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coverage, StackId } from '../../../protocol/sandbox';
import { nodeDetector } from './stackNode';
import { pythonDetector } from './stackPython';
import { SandboxInputError } from './types';

export interface InstallPlan {
  /** The shell line the install phase runs in /project. */
  command: string;
  /** Where installed dependencies go, inside the sandbox (mounted read-only for tests). */
  target: string;
  /** Files whose contents decide what gets installed (the dependency cache's key). */
  keyFiles: string[];
  /** Also key on the whole input (local `file:` dependencies). */
  keyOnInputs: boolean;
  /** The project's own installed dependencies on this machine, mounted read-only instead. */
  existing?: string;
  /** What the installer needs on the command line when there is no network. */
  offlineFlag?: string;
}

/** How mutation testing runs the project's tests, a few files at a time. */
export type TestRunner =
  | { name: 'pytest' }
  | { name: 'unittest'; args: string[] }
  /** `node [nodeArgs] <test file>`: node:test runs a file's tests when Node runs the file. */
  | { name: 'node:test'; nodeArgs: string[] }
  /** A program given one test file at a time (jest, vitest). */
  | { name: 'jest' | 'vitest'; argv: string[] }
  /** Only the whole test command: every test runs for every mutant. */
  | { name: 'script'; command: string };

export interface TestPlan {
  /** The shell line that runs the tests in /project. */
  command: string;
  runner: TestRunner;
  coverage: Coverage['tool'] | null;
  /** Variables the test command needs besides the sandbox's own (e.g. PYTHONPATH). */
  env: Record<string, string>;
}

/** How the sandbox installs a project's dependencies and runs its tests. */
export interface SandboxPlan {
  stack: StackId;
  install: InstallPlan | null;
  test: TestPlan;
}

/** What a detector may read: the staged file list and the project's files. */
export interface ProjectFiles {
  dir: string;
  paths: readonly string[];
  has(path: string): boolean;
  read(path: string): string | undefined;
}

export interface DetectOptions {
  /** The sandbox's Python can import coverage (true for the host-bind image when this machine's can). */
  pythonCoverage: boolean;
}

/** Recognises the projects of one stack (Node.js, Python) and plans how to install and test them. */
export interface StackDetector {
  id: StackId;
  matches(files: ProjectFiles): boolean;
  plan(files: ProjectFiles, options: DetectOptions): SandboxPlan;
}

export const stackDetectors: readonly StackDetector[] = [nodeDetector, pythonDetector];

export function projectFiles(dir: string, paths: readonly string[]): ProjectFiles {
  const set = new Set(paths);
  return {
    dir,
    paths,
    has: (path) => set.has(path),
    read: (path) => {
      if (!set.has(path)) return undefined;
      try {
        return readFileSync(join(dir, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The plan for a project, or a clear error when QLP cannot tell how to test it. */
export function detectProject(files: ProjectFiles, options: DetectOptions): SandboxPlan {
  const detector = stackDetectors.find((d) => d.matches(files));
  if (!detector) {
    throw new SandboxInputError(
      `No tests found in ${files.dir}: it is neither a Node.js project (package.json) nor a Python project (*.py, pyproject.toml, requirements.txt).`,
    );
  }
  return detector.plan(files, options);
}

/** Whether a folder of installed dependencies exists in the project on this machine. */
export function existingDir(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  return existsSync(path) ? path : undefined;
}
