// Folders to snapshot and helpers to compare them, for the capsule tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

export const scratch = (prefix = 'qlp-capsule-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Writes `files` (path → content, or [content, mode]) under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer | [string | Buffer, number]>): string {
  for (const [path, value] of Object.entries(files)) {
    const [content, mode] = Array.isArray(value) ? value : [value, 0o644];
    const abs = join(root, ...path.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    chmodSync(abs, mode);
  }
  return root;
}

export interface TreeFile {
  data: string;
  mode: number;
}

/** Every regular file under `root` (path → base64 content and permission bits); `.git` is skipped. */
export function readTree(root: string): Record<string, TreeFile> {
  const tree: Record<string, TreeFile> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile())
        tree[relative(root, abs).split(sep).join('/')] = { data: readFileSync(abs).toString('base64'), mode: lstatSync(abs).mode & 0o777 };
    }
  };
  walk(root);
  return tree;
}

/** A key the secretlint preset recognises (OpenAI's legacy format), built at run time. */
export function fakeOpenAiKey(): string {
  const part = () =>
    randomBytes(15)
      .toString('hex')
      .slice(0, 20)
      .replace(/[0-9]/g, (d) => 'ABCDEFGHIJ'[Number(d)]);
  return `sk-${part()}${'T3Blbk'}FJ${part()}`;
}

/** A project with text, binary, executable and read-only files, nested folders and odd names. */
export function sampleProject(root: string): string {
  const binary = randomBytes(70_000);
  binary[10] = 0;
  return writeTree(root, {
    'README.md': '# Sample\n\nA project with a few files.\n',
    'package.json': '{ "name": "sample", "version": "1.0.0" }\n',
    'bin/run.sh': ['#!/bin/sh\necho run\n', 0o755],
    'src/index.ts': 'export const answer = 42;\n',
    'src/lib/util.ts': 'export function add(a: number, b: number) { return a + b; }\n',
    'assets/logo.bin': binary,
    'docs/ünïcode näme.txt': 'unicode\n',
    'empty.txt': '',
    'readonly.txt': ['do not edit\n', 0o444],
    [`deep/${'d'.repeat(60)}/${'e'.repeat(60)}/long-name-file.txt`]: 'long path\n',
  });
}

/** Overwrites every blob in every workspace store under the data folder `home` (bit rot). */
export function corruptEveryBlob(home: string, bytes = 'bit rot'): void {
  for (const key of readdirSync(join(home, 'workspaces'))) {
    const blobs = join(home, 'workspaces', key, 'capsules', 'blobs');
    for (const prefix of readdirSync(blobs)) {
      for (const name of readdirSync(join(blobs, prefix))) {
        chmodSync(join(blobs, prefix, name), 0o644);
        writeFileSync(join(blobs, prefix, name), bytes);
      }
    }
  }
}
