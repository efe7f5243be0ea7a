// `qlp`'s executable (dist/cli.js): loads the command line (dist/qlp.js) through the code cache,
// and caches what the run compiled when the process exits. A run under half a second (--version,
// --help, a usage error) compiled too little to be worth caching: a later command would find
// most of its code missing from the cache.
import { join } from 'node:path';
import { cacheRoot } from '../common/cacheRoot';
import type * as Cli from './main';
import { loadBundle } from '../common/codeCache';

const cli = loadBundle<typeof Cli>(join(__dirname, 'qlp.js'), join(cacheRoot(), 'code'));
process.once('exit', () => {
  if (process.uptime() > 0.5) cli.save();
});
cli.exports.main();
