// Writes package.json's contributes.configuration from protocol/settings.ts (the source of truth).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toContributesConfiguration } from '../protocol/settings';

const path = join(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(path, 'utf8'));
pkg.contributes.configuration = toContributesConfiguration();
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`package.json: ${pkg.contributes.configuration.length} settings categories written.`);
