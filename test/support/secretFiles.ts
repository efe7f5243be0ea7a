// Two files holding a secret, made at run time (nothing secret-looking is written into the
// repository): a fake AWS secret access key, which secretlint's AWS rule knows by its pattern, and
// a signing secret with no vendor pattern, which only QLP's own rules catch (a literal assigned
// to a secret-named key).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const base64ish = (n: number) => randomBytes(n).toString('base64').replace(/[+/=]/g, 'Q').slice(0, n);
const upper = (n: number) => [...randomBytes(n)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');

export interface SecretFiles {
  awsSecret: string;
  signingSecret: string;
  files: Record<string, string>;
}

export function secretFiles(): SecretFiles {
  // Base64 with a `/` and a `+` inside, as real keys have: the mask must take the key whole.
  const awsSecret = `${base64ish(18)}/${base64ish(10)}+${base64ish(10)}`;
  const signingSecret = `${base64ish(12)}7${base64ish(19)}`;
  return {
    awsSecret,
    signingSecret,
    files: {
      'deploy/upload.py': [
        'import boto3',
        '',
        '',
        'def upload_release(path):',
        '    """Uploads the release archive to the S3 bucket."""',
        '    client = boto3.client(',
        '        "s3",',
        `        aws_access_key_id="AKIA${upper(16)}",`,
        `        aws_secret_access_key="${awsSecret}",`,
        '    )',
        '    client.upload_file(path, "releases", path)',
        '',
      ].join('\n'),
      'src/session.ts': [
        "import { createHmac } from 'node:crypto';",
        '',
        `const SESSION_SIGNING_SECRET = '${signingSecret}';`,
        '',
        '/** Signs a session cookie so that a tampered cookie is refused. */',
        'export function signSessionCookie(value: string): string {',
        "  return `${value}.${createHmac('sha256', SESSION_SIGNING_SECRET).update(value).digest('hex')}`;",
        '}',
        '',
      ].join('\n'),
    },
  };
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Whether `text` holds any 8 characters in a row of `secret`. */
export function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}
