// `tsplay --version`, shaped like ansible-playbook's so tools that read it keep working.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSIBLE_COMPAT_VERSION } from '../vars/variable-manager.js';

export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..', ...(import.meta.dirname.includes(`${'/'}dist${'/'}`) ? ['..'] : []));

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function versionText(configFile: string | undefined): string {
  return [
    `tsplay ${packageVersion()} [core ${ANSIBLE_COMPAT_VERSION.full} compatible]`,
    `  config file = ${configFile ?? 'None'}`,
    `  executable location = ${process.argv[1] ?? 'tsplay'}`,
    `  node version = ${process.version}`,
  ].join('\n');
}
