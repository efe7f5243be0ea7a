// The command line's small helpers, in process: "did you mean" and Node's colour rule.
import assert from 'node:assert/strict';
import { WriteStream } from 'node:tty';
import { describe, it } from 'node:test';
import { takesColour } from '../../language-server/src/cli/colour';
import { didYouMean, editDistance, nearest } from '../../language-server/src/cli/suggest';

const commands = ['generate', 'doctor', 'models', 'usage', 'capsule', 'validate', 'test', 'sandbox', 'serve', 'index', 'search'];

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('genrate', 'generate'), 1);
    assert.equal(editDistance('vlaidate', 'validate'), 1);
    assert.equal(editDistance('doctor', 'doctor'), 0);
  });

  it('names the command a typo or a prefix meant, and nothing for a word that is not near one', () => {
    assert.equal(nearest('genrate', commands), 'generate');
    assert.equal(nearest('Valdate', commands), 'validate');
    assert.equal(nearest('serach', commands), 'search');
    assert.equal(nearest('caps', commands), 'capsule');
    assert.equal(nearest('frobnicate', commands), undefined);
    assert.equal(nearest('xyz', commands), undefined);
    // Two letters are too few to guess from.
    assert.equal(nearest('se', commands), undefined);
    assert.equal(didYouMean('--jsn', ['json', 'tier'], '--'), " (did you mean '--json'?)");
    assert.equal(didYouMean('--frob', ['json'], '--'), '');
  });
});

describe('colour', () => {
  const terminal = { isTTY: true, hasColors: WriteStream.prototype.hasColors };
  const pipe = { isTTY: false };

  it('is on for a terminal with colours, off with NO_COLOR or TERM=dumb', () => {
    assert.equal(takesColour(terminal, { TERM: 'xterm-256color' }), true);
    assert.equal(takesColour(terminal, { TERM: 'xterm-256color', NO_COLOR: '1' }), false);
    assert.equal(takesColour(terminal, { TERM: 'dumb' }), false);
  });

  it('is off through a pipe unless FORCE_COLOR says otherwise', () => {
    assert.equal(takesColour(pipe, {}), false);
    assert.equal(takesColour(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(takesColour(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(takesColour(pipe, { FORCE_COLOR: '0' }), false);
    assert.equal(takesColour(terminal, { TERM: 'xterm-256color', FORCE_COLOR: 'false' }), false);
  });
});
