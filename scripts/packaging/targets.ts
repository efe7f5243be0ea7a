// The platforms QLP is packaged for, each with the LanceDB platform package that holds its native
// library. LanceDB 0.31 publishes no darwin-x64 build, so there is no package for Intel Macs.

export interface PackageTarget {
  /** The VS Code target (`vsce package --target`). */
  target: 'linux-x64' | 'linux-arm64' | 'darwin-arm64' | 'win32-x64';
  /** npm's platform package of LanceDB for it. */
  lancedbPackage: string;
  /** The native library's file name, in that package and beside dist/indexWorker.js. */
  nativeFile: string;
}

export const packageTargets: readonly PackageTarget[] = [
  { target: 'linux-x64', lancedbPackage: '@lancedb/lancedb-linux-x64-gnu', nativeFile: 'lancedb.linux-x64-gnu.node' },
  { target: 'linux-arm64', lancedbPackage: '@lancedb/lancedb-linux-arm64-gnu', nativeFile: 'lancedb.linux-arm64-gnu.node' },
  { target: 'darwin-arm64', lancedbPackage: '@lancedb/lancedb-darwin-arm64', nativeFile: 'lancedb.darwin-arm64.node' },
  { target: 'win32-x64', lancedbPackage: '@lancedb/lancedb-win32-x64-msvc', nativeFile: 'lancedb.win32-x64-msvc.node' },
];

/** Targets VS Code knows that QLP cannot be packaged for, and why. */
export const unsupportedTargets: Readonly<Record<string, string>> = {
  'darwin-x64': 'LanceDB 0.31 ships no darwin-x64 (Intel Mac) build of its native library.',
};

export const vsixName = (target: string) => `qlp-${target}.vsix`;
