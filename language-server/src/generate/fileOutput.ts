// File contents out of model text, tolerant of real-world noise: prose around the code, missing
// or extra fences, CRLF, a language tag where a path was expected, a truncated last block, the
// same file twice. The contract the prompts ask for is in docs/protocol.md.
import { checkGeneratedPath } from './pathSafety';

interface Block {
  info: string;
  /** Non-empty lines just before the opening fence (a path is often announced there). */
  before: string[];
  content: string;
  closed: boolean;
}

const fenceLine = /^\s{0,3}(`{3,}|~{3,})\s*(.*)$/;

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function fencedBlocks(text: string): Block[] {
  const lines = normalizeNewlines(text).split('\n');
  const blocks: Block[] = [];
  let open: { fence: string; info: string; before: string[]; body: string[] } | undefined;
  // Lines before a block that may announce its path: never inside the previous block.
  let afterLastBlock = 0;
  lines.forEach((line, i) => {
    const m = fenceLine.exec(line);
    if (!open) {
      if (!m) return;
      const before = lines.slice(Math.max(afterLastBlock, i - 3), i).filter((l) => l.trim());
      open = { fence: m[1]!, info: m[2]!.trim(), before, body: [] };
    } else if (m && m[1]![0] === open.fence[0] && m[1]!.length >= open.fence.length && m[2]!.trim() === '') {
      blocks.push({ info: open.info, before: open.before, content: open.body.join('\n'), closed: true });
      open = undefined;
      afterLastBlock = i + 1;
    } else {
      open.body.push(line);
    }
  });
  if (open) blocks.push({ info: open.info, before: open.before, content: open.body.join('\n'), closed: false });
  return blocks;
}

const pathLike = /[\w@.-]+(?:\/[\w@.-]+)*\.[\w]+|[\w@.-]+(?:\/[\w@.-]+)+|Dockerfile|Makefile/;

/** The path a block names: in its info string, on a line just before it, or in a first-line comment. */
function blockPath(block: Block): string | undefined {
  const candidates: string[] = [];
  const info = block.info.replace(/^[\w+#-]+\s+/, (lang) => (lang.includes('.') || lang.includes('/') ? lang : ''));
  const attr = /(?:path|file|title|filename)\s*=\s*["']?([^"'\s]+)/i.exec(block.info)?.[1];
  if (attr) candidates.push(attr);
  if (info && (info.includes('/') || info.includes('.'))) candidates.push(info.split(/\s+/)[0]!);
  for (const line of [...block.before].reverse()) {
    const m = /^(?:#{1,6}\s*|\*\*|__|`|(?:file|path)\s*:\s*|[-*]\s+)*(?:file|path)?\s*:?\s*`?\**([^`*\s:]+)/i.exec(line.trim());
    if (m?.[1] && pathLike.test(m[1])) {
      candidates.push(m[1]);
      break;
    }
  }
  const first = block.content.split('\n')[0] ?? '';
  const comment = /^\s*(?:#|\/\/|<!--|--|\/\*)\s*(?:file|path)?\s*:?\s*([^\s*>]+\.[\w]+)\s*(?:-->|\*\/)?\s*$/i.exec(first)?.[1];
  if (comment) candidates.push(comment);
  for (const c of candidates) {
    const verdict = checkGeneratedPath(c);
    if (verdict.path) return verdict.path;
  }
  return candidates[0];
}

export interface FileContent {
  content: string;
  /** False when the answer stopped inside the file (a continuation is needed). */
  complete: boolean;
}

const withFinalNewline = (s: string) => (s.endsWith('\n') || s === '' ? s : `${s}\n`);

/** The content of `path` in an answer that was asked for that one file. */
export function extractFile(text: string, path: string): FileContent {
  const blocks = fencedBlocks(text);
  if (!blocks.length) return { content: withFinalNewline(normalizeNewlines(text).trim()), complete: true };
  const base = path.split('/').pop()!;
  const named = blocks.filter((b) => {
    const p = blockPath(b);
    return p === path || p?.split('/').pop() === base;
  });
  // The same file twice: models restate their final version last.
  const chosen = named.at(-1) ?? blocks.reduce((a, b) => (b.content.length > a.content.length ? b : a));
  return { content: withFinalNewline(stripPathComment(chosen.content, path)), complete: chosen.closed };
}

/** A first-line comment that only names the file is not part of it. */
function stripPathComment(content: string, path: string): string {
  const [first, ...rest] = content.split('\n');
  const base = path.split('/').pop()!;
  if (
    first &&
    /^\s*(#|\/\/|<!--|--)/.test(first) &&
    first.includes(base) &&
    first.replace(/[#/!<>\-*:\s]/g, '').replace(/^(file|path)/i, '').length <= path.length + 1
  ) {
    if (!first.startsWith('#!')) return rest.join('\n');
  }
  return content;
}

/** Every file in a multi-file answer, by the path each block names; later duplicates win. */
export function extractFiles(text: string): { files: Map<string, FileContent>; unnamed: number } {
  const files = new Map<string, FileContent>();
  let unnamed = 0;
  for (const block of fencedBlocks(text)) {
    const path = blockPath(block);
    if (!path) {
      unnamed++;
      continue;
    }
    files.set(path, { content: withFinalNewline(stripPathComment(block.content, path)), complete: block.closed });
  }
  return { files, unnamed };
}

/** Joins an answer cut off by the length limit with its continuation (which may reopen the fence). */
export function joinContinuation(partial: string, continuation: string): string {
  const next = normalizeNewlines(continuation).replace(/^\s*(`{3,}|~{3,})[^\n]*\n/, '');
  return normalizeNewlines(partial) + next;
}
