/** Every command id the extension registers, by name. */
export const commandIds = {
  restartServer: 'qlp.restartServer',
  showOutput: 'qlp.showOutput',
  refreshStatus: 'qlp.refreshStatus',
  setApiKey: 'qlp.setApiKey',
  testModels: 'qlp.testModels',
  runTestsInSandbox: 'qlp.runTestsInSandbox',
} as const;

export type CommandName = keyof typeof commandIds;
