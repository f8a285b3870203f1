// tsplay-vault's usage and help texts, laid out as argparse lays out ansible-vault's.
import type { VaultAction } from './options.js';

const PROG = 'tsplay-vault';

export const TOP_USAGE = `usage: ${PROG} [-h] [--version] [-v]
                    {create,decrypt,edit,view,encrypt,encrypt_string,rekey}
                    ...`;

const VERBOSE_HELP = `  -v, --verbose         more output; repeat for more (-vvvvv shows which secret
                        decrypted what)`;

export const TOP_HELP = `${TOP_USAGE}

Encrypts and decrypts Ansible Vault files and strings, as ansible-vault does.

positional arguments:
  {create,decrypt,edit,view,encrypt,encrypt_string,rekey}
    create              create a new encrypted file in $EDITOR
    decrypt             decrypt encrypted files (in place or to --output)
    edit                edit an encrypted file in $EDITOR
    view                show the plain text of encrypted files
    encrypt             encrypt files (in place or to --output)
    encrypt_string      encrypt strings as "!vault |" YAML values
    rekey               encrypt files again with a new password

options:
  --version             show the version and the configuration file in use
  -h, --help            show this help and exit
${VERBOSE_HELP}

See '${PROG} <command> --help' for the options of a command.`;

const SECRETS = '[--ask-vault-password | --vault-password-file VAULT_PASSWORD_FILES]';

/** Each action's usage lines after `usage: tsplay-vault <action> `, as argparse wraps them. */
const USAGE_LINES: Record<VaultAction, string[]> = {
  create: ['[-h] [--encrypt-vault-id ENCRYPT_VAULT_ID]', '[--vault-id VAULT_IDS]', SECRETS, '[-v]', '[file_name ...]'],
  edit: ['[-h] [--encrypt-vault-id ENCRYPT_VAULT_ID]', '[--vault-id VAULT_IDS]', SECRETS, '[-v]', '[file_name ...]'],
  encrypt: ['[-h] [--vault-id VAULT_IDS]', SECRETS, '[-v] [--output OUTPUT_FILE]', '[--encrypt-vault-id ENCRYPT_VAULT_ID]', '[file_name ...]'],
  decrypt: ['[-h] [--output OUTPUT_FILE]', '[--vault-id VAULT_IDS]', SECRETS, '[-v]', '[file_name ...]'],
  view: ['[-h] [--vault-id VAULT_IDS]', SECRETS, '[-v]', '[file_name ...]'],
  rekey: [
    '[-h] [--vault-id VAULT_IDS]',
    SECRETS,
    '[-v] [--encrypt-vault-id ENCRYPT_VAULT_ID]',
    '[--new-vault-password-file NEW_VAULT_PASSWORD_FILE | --new-vault-id NEW_VAULT_ID]',
    '[file_name ...]',
  ],
  encrypt_string: [
    '[-h] [--vault-id VAULT_IDS]',
    SECRETS,
    '[-v] [--output OUTPUT_FILE]',
    '[--encrypt-vault-id ENCRYPT_VAULT_ID] [-p]',
    '[--show-input] [-n ENCRYPT_STRING_NAMES]',
    '[--stdin-name ENCRYPT_STRING_STDIN_NAME]',
    '[string_to_encrypt ...]',
  ],
};

export function actionUsage(action: VaultAction): string {
  const head = `usage: ${PROG} ${action} `;
  const indent = ' '.repeat(head.length);
  const [first, ...rest] = USAGE_LINES[action];
  return [head + first!, ...rest.map((part) => indent + part)].join('\n');
}

const OPTION_HELP: Record<string, string> = {
  '--vault-id': `  --vault-id VAULT_IDS  a vault identity, label@source: source is a password file,
                        a script printing the password, or "prompt" (repeatable)`,
  '--ask-vault-password': `  --ask-vault-password, --ask-vault-pass
                        ask for the vault password`,
  '--vault-password-file': `  --vault-password-file VAULT_PASSWORD_FILES, --vault-pass-file VAULT_PASSWORD_FILES
                        a file holding the vault password, or a script printing it`,
  '--output': `  --output OUTPUT_FILE  write the result to this file instead (- for stdout)`,
  '--encrypt-vault-id': `  --encrypt-vault-id ENCRYPT_VAULT_ID
                        the label of the secret to encrypt with (needed when
                        several are given)`,
  '--new-vault-password-file': `  --new-vault-password-file NEW_VAULT_PASSWORD_FILE
                        the new password's file (or script) for rekey`,
  '--new-vault-id': `  --new-vault-id NEW_VAULT_ID
                        the new vault identity (label@source) for rekey`,
  '-p': `  -p, --prompt          ask for the string to encrypt`,
  '--show-input': `  --show-input          echo the string typed at the prompt`,
  '-n': `  -n ENCRYPT_STRING_NAMES, --name ENCRYPT_STRING_NAMES
                        the variable name of the next string (repeatable)`,
  '--stdin-name': `  --stdin-name ENCRYPT_STRING_STDIN_NAME
                        the variable name of the string read from stdin`,
};

const ACTION_TEXT: Record<VaultAction, { summary: string; positional: string; options: string[] }> = {
  create: { summary: 'Create a new encrypted file in $EDITOR.', positional: '  file_name             the file to create', options: ['--encrypt-vault-id'] },
  edit: { summary: 'Edit an encrypted file in $EDITOR; it keeps its vault id.', positional: '  file_name             the files to edit', options: ['--encrypt-vault-id'] },
  encrypt: { summary: 'Encrypt files in place, or standard input / one file to --output.', positional: '  file_name             the files to encrypt (- or none: stdin)', options: ['--output', '--encrypt-vault-id'] },
  decrypt: { summary: 'Decrypt files in place, or standard input / one file to --output.', positional: '  file_name             the files to decrypt (- or none: stdin)', options: ['--output'] },
  view: { summary: 'Show the plain text of encrypted files (through $PAGER on a terminal).', positional: '  file_name             the files to show (- for stdin)', options: [] },
  rekey: { summary: 'Encrypt files again with a new password.', positional: '  file_name             the files to rekey', options: ['--encrypt-vault-id', '--new-vault-password-file', '--new-vault-id'] },
  encrypt_string: {
    summary: 'Encrypt strings into "!vault |" values to paste into YAML.',
    positional: '  string_to_encrypt     the strings to encrypt (- or none: stdin)',
    options: ['--output', '--encrypt-vault-id', '-p', '--show-input', '-n', '--stdin-name'],
  },
};

export function actionHelp(action: VaultAction): string {
  const text = ACTION_TEXT[action];
  const options = [
    '  -h, --help            show this help and exit',
    OPTION_HELP['--vault-id']!,
    OPTION_HELP['--ask-vault-password']!,
    OPTION_HELP['--vault-password-file']!,
    VERBOSE_HELP,
    ...text.options.map((o) => OPTION_HELP[o]!),
  ];
  return `${actionUsage(action)}\n\n${text.summary}\n\npositional arguments:\n${text.positional}\n\noptions:\n${options.join('\n')}`;
}
