// Mutants of JavaScript and TypeScript files, found with the TypeScript compiler's parser and
// written as text edits (offsets in the file's UTF-16 text, as the Node driver reads it).
// Imports, exports, types, directives and property names are left alone.
import ts from 'typescript';
import type { MutationOperator } from '../../../../protocol/sandbox';
import type { MutantCandidate } from './types';

const K = ts.SyntaxKind;

const binaryFlips = new Map<ts.SyntaxKind, [string, MutationOperator]>([
  [K.LessThanToken, ['<=', 'boundary']],
  [K.LessThanEqualsToken, ['<', 'boundary']],
  [K.GreaterThanToken, ['>=', 'boundary']],
  [K.GreaterThanEqualsToken, ['>', 'boundary']],
  [K.EqualsEqualsEqualsToken, ['!==', 'comparison']],
  [K.ExclamationEqualsEqualsToken, ['===', 'comparison']],
  [K.EqualsEqualsToken, ['!=', 'comparison']],
  [K.ExclamationEqualsToken, ['==', 'comparison']],
  [K.PlusToken, ['-', 'arithmetic']],
  [K.MinusToken, ['+', 'arithmetic']],
  [K.AsteriskToken, ['/', 'arithmetic']],
  [K.SlashToken, ['*', 'arithmetic']],
  [K.PlusEqualsToken, ['-=', 'arithmetic']],
  [K.MinusEqualsToken, ['+=', 'arithmetic']],
  [K.AsteriskEqualsToken, ['/=', 'arithmetic']],
  [K.SlashEqualsToken, ['*=', 'arithmetic']],
  [K.AmpersandAmpersandToken, ['||', 'boolean']],
  [K.BarBarToken, ['&&', 'boolean']],
]);

export function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Nodes whose insides are not behaviour to mutate. */
function skipped(node: ts.Node): boolean {
  return (
    ts.isImportDeclaration(node) ||
    ts.isExportDeclaration(node) ||
    ts.isImportEqualsDeclaration(node) ||
    ts.isTypeNode(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isDecorator(node) ||
    ts.isModuleDeclaration(node) ||
    (ts.isCallExpression(node) && ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === K.ImportKeyword))
  );
}

function isDirective(node: ts.Node): boolean {
  return (
    ts.isExpressionStatement(node) &&
    ts.isStringLiteral(node.expression) &&
    (ts.isSourceFile(node.parent) || ts.isBlock(node.parent)) &&
    /^use /.test(node.expression.text)
  );
}

function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) if (ts.isFunctionLike(n)) return true;
  return false;
}

/** A string literal used as a name (a property key), not as a value. */
function isName(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    ts.isLiteralTypeNode(parent)
  );
}

/** Every mutant of one file; a file that does not parse gives `problem` instead. */
export function jsMutants(file: string, text: string): { candidates: MutantCandidate[]; problem?: string } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length) {
    const first = diagnostics[0];
    const line = first.start !== undefined ? source.getLineAndCharacterOfPosition(first.start).line + 1 : 0;
    return { candidates: [], problem: `${file} does not parse (line ${line}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')})` };
  }
  const candidates: MutantCandidate[] = [];
  const add = (start: number, end: number, replacement: string, operator: MutationOperator) => {
    const { line } = source.getLineAndCharacterOfPosition(start);
    const lineStart = source.getLineStarts()[line];
    const lineEndAt = text.indexOf('\n', start);
    const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
    const changed = (text.slice(0, start) + replacement + text.slice(end)).slice(lineStart);
    candidates.push({
      file,
      start,
      end,
      replacement,
      expected: text.slice(start, end),
      line: line + 1,
      operator,
      original: text.slice(lineStart, lineEnd).trim().slice(0, 160),
      mutated: changed.split('\n', 1)[0].trim().slice(0, 160),
    });
  };

  const visit = (node: ts.Node): void => {
    if (skipped(node)) return;
    if (ts.isBinaryExpression(node)) {
      const flip = binaryFlips.get(node.operatorToken.kind);
      if (flip) add(node.operatorToken.getStart(source), node.operatorToken.getEnd(), flip[0], flip[1]);
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === K.ExclamationToken) {
      add(node.getStart(source), node.operand.getStart(source), '', 'negation');
    } else if (node.kind === K.TrueKeyword || node.kind === K.FalseKeyword) {
      add(node.getStart(source), node.getEnd(), node.kind === K.TrueKeyword ? 'false' : 'true', 'boolean');
    } else if (ts.isNumericLiteral(node) && !isName(node)) {
      const value = Number(node.text);
      if (Number.isFinite(value)) add(node.getStart(source), node.getEnd(), String(value + 1), 'constant');
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text && !isName(node) && !isDirective(node.parent)) {
      add(node.getStart(source), node.getEnd(), "''", 'constant');
    } else if (ts.isReturnStatement(node) && node.expression && node.expression.kind !== K.UndefinedKeyword) {
      add(node.expression.getStart(source), node.expression.getEnd(), 'undefined', 'return');
    } else if (ts.isArrowFunction(node) && !ts.isBlock(node.body) && node.body.kind !== K.UndefinedKeyword) {
      add(node.body.getStart(source), node.body.getEnd(), 'undefined', 'return');
    } else if (ts.isExpressionStatement(node) && insideFunction(node) && !isDirective(node)) {
      add(node.getStart(source), node.getEnd(), ';', 'statement');
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return { candidates };
}
