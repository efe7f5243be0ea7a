// What snapshots, exports and pushes keep home: secrets secretlint's preset knows by their
// pattern, and those QLP's rules find (.env files, literal passwords, tokens and keys assigned
// to secret-named keys, passwords in URLs, Stripe keys).
import { qlpRulesVersion, qlpSecretRules, isEnvFile } from './qlpRules';
import { findSecrets, secretScannerId, type SecretHit } from './secretlint';

/** The scanner and rules; results cached under one id are not reused under another. */
export const likelySecretsScannerId = `${secretScannerId}+qlp-rules-${qlpRulesVersion}`;

export function findLikelySecrets(path: string, content: string): Promise<SecretHit[]> {
  return findSecrets(path, content, qlpSecretRules);
}

/**
 * All of a file's name that the scan depends on: its extension (which tells code from config
 * and documentation), and whether it is a .env file. Same content, same key: same findings.
 */
export function secretNameKey(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot) : '';
  return `${ext}${isEnvFile(path) ? '#env' : ''}${/^dockerfile/i.test(name) ? '#docker' : ''}`;
}
