// What QLP holds back in a folder the user has not trusted (VS Code's Workspace Trust), said the
// same way everywhere: in the stages' reasons, in refused sandbox runs and in the Status view.

/** The tests stage's reason, and the answer to a sandbox run, in an untrusted workspace. */
export const untrustedTestsReason =
  'The workspace is not trusted, so QLP does not run its tests; trust the folder (Workspaces: Manage Workspace Trust) to run them.';

/** The lint stage's note when a project's ESLint config was left unloaded. */
export const untrustedEslintConfigNote = "the project's ESLint config was not loaded because the workspace is not trusted; QLP's default rules were used";

/** What is limited in an untrusted workspace, one line each, for the Status view. */
export const untrustedLimits: readonly string[] = [
  "The project's ESLint config (eslint.config.*) and its plugins are not loaded: QLP lints with its own rules.",
  "The project's tests are not run, neither by validation nor by Run tests in sandbox.",
  "The project's Python version files (.python-version, .tool-versions) do not choose pyright's interpreter.",
];
