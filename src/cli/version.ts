// `tsplay --version`, shaped like ansible-playbook's so tools that read it keep working.
import { ANSIBLE_COMPAT_VERSION } from '../vars/variable-manager.js';
import { packageVersion } from './package-info.js';

export function versionText(configFile: string | undefined): string {
  return [
    `tsplay ${packageVersion()} [core ${ANSIBLE_COMPAT_VERSION.full} compatible]`,
    `  config file = ${configFile ?? 'None'}`,
    `  executable location = ${process.argv[1] ?? 'tsplay'}`,
    `  node version = ${process.version}`,
  ].join('\n');
}
