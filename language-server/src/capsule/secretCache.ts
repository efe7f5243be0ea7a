// Remembers what the secret scan found in each content (by sha256 and the part of the file name
// the scan depends on: extension, .env or not), so a version scanned when it was snapshotted is
// not scanned again when it is exported. The cache is tied to the scanner's and the rules'
// version; a different one starts afresh. Losing it only costs time.
import { readFile } from 'node:fs/promises';
import type { SecretFinding } from '../../../protocol/capsuleApi';
import { likelySecretsScannerId, secretNameKey } from '../secrets/likelySecrets';
import { writeFileAtomic } from '../common/atomicFile';

type Entry = Pick<SecretFinding, 'rules' | 'lines'> | null;

interface CacheFile {
  scanner: string;
  entries: Record<string, Entry>;
}

export class SecretCache {
  private entries: Record<string, Entry> = {};
  private loaded = false;
  private dirty = false;

  constructor(private readonly path: string) {}

  private key(sha256: string, path: string): string {
    return `${sha256}${secretNameKey(path)}`;
  }

  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const file = JSON.parse(await readFile(this.path, 'utf8')) as CacheFile;
      if (file.scanner === likelySecretsScannerId && file.entries && typeof file.entries === 'object') this.entries = file.entries;
    } catch {
      // no cache yet, or a damaged one: start afresh
    }
  }

  /** What the scan found in this content under this kind of name: a finding, null (clean), or undefined (not scanned). */
  get(sha256: string, path: string): SecretFinding | null | undefined {
    const entry = this.entries[this.key(sha256, path)];
    return entry === undefined ? undefined : entry && { path, ...entry };
  }

  set(sha256: string, path: string, finding: SecretFinding | null): void {
    this.entries[this.key(sha256, path)] = finding && { rules: finding.rules, lines: finding.lines };
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const file: CacheFile = { scanner: likelySecretsScannerId, entries: this.entries };
    await writeFileAtomic(this.path, JSON.stringify(file)).catch(() => undefined);
  }
}
