import { askToFixCommand } from '../../../protocol/generate';

/** Every command id the extension registers, by name. */
export const commandIds = {
  restartServer: 'qlp.restartServer',
  showOutput: 'qlp.showOutput',
  refreshStatus: 'qlp.refreshStatus',
  setApiKey: 'qlp.setApiKey',
  testModels: 'qlp.testModels',
  exportCapsule: 'qlp.exportCapsule',
  snapshotFolder: 'qlp.snapshotFolder',
  importCapsule: 'qlp.importCapsule',
  refreshCapsules: 'qlp.refreshCapsules',
  compareWithPrevious: 'qlp.compareWithPreviousVersion',
  compareWithFolder: 'qlp.compareWithFolder',
  compareVersions: 'qlp.compareVersions',
  restoreVersion: 'qlp.restoreVersion',
  renameCapsule: 'qlp.renameCapsule',
  tagVersion: 'qlp.tagVersion',
  deleteCapsule: 'qlp.deleteCapsule',
  validateWorkspace: 'qlp.validateWorkspace',
  runTestsInSandbox: 'qlp.runTestsInSandbox',
  askToFix: askToFixCommand,
  generateProject: 'qlp.generateProject',
  pushCapsule: 'qlp.pushCapsule',
  pullCapsule: 'qlp.pullCapsule',
  semanticSearch: 'qlp.semanticSearch',
} as const;

export type CommandName = keyof typeof commandIds;
