// `tsplay-vault --version`, shaped like ansible-vault's first lines.
import { packageVersion } from '../package-info.js';

export function vaultVersionText(configFile: string | undefined): string {
  return [
    `tsplay-vault ${packageVersion()} [vault format of ansible-core 2.14]`,
    `  config file = ${configFile ?? 'None'}`,
    `  executable location = ${process.argv[1] ?? 'tsplay-vault'}`,
    `  node version = ${process.version}`,
  ].join('\n');
}
