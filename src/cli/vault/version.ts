// `tsplay-vault --version`, shaped like ansible-vault's first lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package root, from src/cli/vault or dist/src/cli/vault. */
function packageRoot(): string {
  const up = import.meta.dirname.includes('/dist/') ? ['..', '..', '..', '..'] : ['..', '..', '..'];
  return join(import.meta.dirname, ...up);
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function vaultVersionText(configFile: string | undefined): string {
  return [
    `tsplay-vault ${packageVersion()} [vault format of ansible-core 2.14]`,
    `  config file = ${configFile ?? 'None'}`,
    `  executable location = ${process.argv[1] ?? 'tsplay-vault'}`,
    `  node version = ${process.version}`,
  ].join('\n');
}
