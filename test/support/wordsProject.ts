// A small Python project for the "verified" tests: `cli.words` (the python-cli stack's layout) with three functions and
// three honest tests. Its buggy `longest` keeps the last of equally long words instead of the
// first, which one test catches. Scripted repairs then fix it, or try to game the tests.
import type { RecordedRequest, Reply } from './fakeModelServer';
import { chunks, promptText } from './scriptedProject';

export const pyproject = '[project]\nname = "words"\nversion = "0.1.0"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n';

const words = (comparison: string, vowels = '"aeiou"') =>
  [
    'def longest(words: list[str]) -> str:',
    '    """The longest word, the first of equally long ones; "" for none."""',
    '    best = ""',
    '    for word in words:',
    `        if len(word) ${comparison} len(best):`,
    '            best = word',
    '    return best',
    '',
    '',
    'def count_vowels(text: str) -> int:',
    `    return sum(1 for ch in text.lower() if ch in ${vowels})`,
    '',
    '',
    'def shout(text: str) -> str:',
    '    return text.upper() + "!"',
    '',
  ].join('\n');

export const correctWords = words('>');
export const buggyWords = words('>=');
/** A second, different bug: vowels miscounted. */
export const otherBugWords = words('>', '"aeio"');

export const honestTests = [
  'from cli.words import count_vowels, longest, shout',
  '',
  '',
  'def test_longest_keeps_the_first_of_equals() -> None:',
  '    assert longest(["ab", "cd", "e"]) == "ab"',
  '    assert longest([]) == ""',
  '',
  '',
  'def test_count_vowels() -> None:',
  '    assert count_vowels("Banana") == 3',
  '    assert count_vowels("queue") == 4',
  '',
  '',
  'def test_shout() -> None:',
  '    assert shout("hi") == "HI!"',
  '',
].join('\n');

export const wordsFiles: Record<string, string> = {
  'requirements.txt': 'pytest\n',
  'pyproject.toml': pyproject,
  'conftest.py': '# Shared pytest setup.\n',
  'cli/__init__.py': '',
  'cli/__main__.py':
    'import argparse\n\nfrom cli.words import longest\n\n\ndef main(argv: list[str] | None = None) -> int:\n    parser = argparse.ArgumentParser(prog="words")\n    parser.add_argument("words", nargs="*")\n    print(longest(parser.parse_args(argv).words))\n    return 0\n\n\nif __name__ == "__main__":\n    raise SystemExit(main())\n',
  'cli/words.py': buggyWords,
  'tests/test_cli.py': honestTests,
  'README.md': '# words\n\nSmall word utilities. `python -m pytest`.\n',
};

export const wordsPlan = (files: Record<string, string>) => ({
  summary: 'Word utilities.',
  files: Object.keys(files).map((path) => ({
    path,
    purpose: path,
    kind: path.endsWith('.md') ? 'doc' : path.startsWith('tests/') ? 'test' : path.endsWith('.py') && path !== 'conftest.py' ? 'code' : 'config',
  })),
  dependencies: { runtime: [], dev: ['pytest'] },
  commands: { install: 'pip install -r requirements.txt', test: 'python -m pytest -q', run: 'python -m cli' },
});

/** The repair answer for round `n` (1-based), as file blocks and optional AMEND lines. */
export type Repair = (round: number, prompt: string) => string;

export const block = (path: string, content: string) => `\`\`\`${path}\n${content}\`\`\`\n`;

/**
 * A scripted model for the words project: `files` answer the file turns (default: the buggy code
 * and honest tests), `repair` answers each repair turn.
 */
export function wordsModel(options: { files?: Partial<Record<string, string>>; repair: Repair }): (request: RecordedRequest) => Reply {
  const files = { ...wordsFiles, ...options.files } as Record<string, string>;
  let round = 0;
  return (request) => {
    const text = promptText(request);
    const usage = { input: Math.ceil(text.length / 4), output: 80 };
    if (text.includes('Plan the project'))
      return { text: [], toolCalls: [{ name: 'write_plan', args: chunks(JSON.stringify(wordsPlan(files)), 60) }], finish: 'tool_calls', usage };
    if (text.includes('The project was checked and has problems')) return { text: chunks(options.repair(++round, text)), usage };
    const path = /\nWrite (\S+) \(/.exec(text)?.[1];
    if (path && files[path] !== undefined) return { text: chunks(`\`\`\`${path}\n${files[path]}\`\`\`\n`), usage };
    return { text: [`I cannot tell what to write for: ${text.slice(-200)}`], usage };
  };
}
