// Stage 1: does every file parse? TypeScript's parser for TS/JS/JSX/TSX, Ruff's for Python,
// jsonc-parser, yaml, smol-toml and dockerfile-utils for data and container files.
import { yieldToEventLoop } from '../findings';
import { asTool, type Stage, type StageFinding } from '../model';
import { dockerfileFindings } from '../tools/dockerfile';
import { jsonSyntaxFindings } from '../tools/json';
import { tomlSyntaxFindings } from '../tools/toml';
import { yamlSyntaxFindings } from '../tools/yaml';
import { ruffPass } from './shared';

export const syntaxStage: Stage = {
  id: 'syntax',
  async run(ctx) {
    if (!ctx.files.some((f) => f.language !== 'text'))
      return { skipped: 'no TypeScript, JavaScript, Python, JSON, YAML, TOML or Dockerfile files to parse', nothingToCheck: true };
    const findings: StageFinding[] = [];
    const python = ctx.files.some((f) => f.language === 'python') ? ruffPass(ctx) : undefined;
    for (const file of ctx.files) {
      switch (file.language) {
        case 'typescript':
        case 'javascript':
          findings.push(...(await asTool('typescript', ctx.signal, async () => ctx.tools.typescript.syntax(ctx.root, file.absPath, file.text))));
          break;
        case 'json':
          findings.push(...jsonSyntaxFindings(file));
          break;
        case 'yaml':
          findings.push(...yamlSyntaxFindings(file));
          break;
        case 'toml':
          findings.push(...tomlSyntaxFindings(file));
          break;
        case 'dockerfile':
          findings.push(...dockerfileFindings(file));
          break;
        default:
          continue;
      }
      await yieldToEventLoop(ctx.signal);
    }
    if (python) findings.push(...(await python).findings.filter((f) => f.stage === 'syntax'));
    return { findings };
  },
};
