import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { VaultSecret } from '../../src/vault/secret.js';
import { createVaultLib, createVaultSecrets, setupVaultSecrets, splitVaultId, type SecretContext } from '../../src/vault/setup-secrets.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { cleanEnv, Scratch, scriptedPrompter } from './helpers.js';

let scratch: Scratch;
let warnings: string[];

beforeEach(() => {
  scratch = new Scratch();
  warnings = [];
});
afterEach(() => scratch.remove());

function context(answers: (string | null)[] = []): SecretContext & { prompter: ReturnType<typeof scriptedPrompter> } {
  return {
    cwd: scratch.dir,
    home: scratch.dir,
    defaultVaultId: 'default',
    prompter: scriptedPrompter(answers),
    warn: (message) => warnings.push(message),
    verbose: () => undefined,
  };
}

const passwords = (secrets: VaultSecret[]) => secrets.map((s) => [s.vaultId, s.bytes.toString()]);

describe('vault secret sources', () => {
  it('splits label@source', () => {
    expect(splitVaultId('dev@~/pw')).toEqual(['dev', '~/pw']);
    expect(splitVaultId('pw@x@y')).toEqual(['pw', 'x@y']);
    expect(splitVaultId('prompt')).toEqual([undefined, 'prompt']);
  });

  it('reads password files without surrounding whitespace, labelled by --vault-id', async () => {
    scratch.write('pw1', '  one  \n\n');
    scratch.write('pw2', 'two\r\n');
    const secrets = await setupVaultSecrets({ vaultIds: ['dev@pw1'], vaultPasswordFiles: ['pw2'], askVaultPass: false }, context());
    expect(passwords(secrets)).toEqual([['dev', 'one'], ['default', 'two']]);
    expect(warnings).toEqual([]);
  });

  it('runs executable password files and keeps spaces of their output', async () => {
    scratch.script('pw.sh', 'printf "  two words \\r\\n"');
    const secrets = await setupVaultSecrets({ vaultIds: ['ops@pw.sh'], vaultPasswordFiles: [], askVaultPass: false }, context());
    expect(passwords(secrets)).toEqual([['ops', '  two words ']]);
  });

  it('asks client scripts for the label and reports their refusal', async () => {
    scratch.script('keyring-client.sh', 'if [ "$1 $2" = "--vault-id dev" ]; then echo devpass; else echo "no $2" >&2; exit 2; fi');
    const secrets = await setupVaultSecrets({ vaultIds: ['dev@keyring-client.sh'], vaultPasswordFiles: [], askVaultPass: false }, context());
    expect(passwords(secrets)).toEqual([['dev', 'devpass']]);
    await expect(setupVaultSecrets({ vaultIds: ['prod@keyring-client.sh'], vaultPasswordFiles: [], askVaultPass: false }, context())).rejects.toThrow(
      `Vault password client script ${scratch.path('keyring-client.sh')} did not find a secret for vault-id=prod: b'no prod\\n'`,
    );
    expect(warnings).toEqual([
      `Error in vault password file loading (prod): Vault password client script ${scratch.path('keyring-client.sh')} did not find a secret for vault-id=prod: b'no prod\\n'`,
    ]);
  });

  it('warns about a failing source and goes on when another one works', async () => {
    scratch.write('good', 'pw');
    scratch.script('fails.sh', 'exit 3');
    scratch.write('empty', '\n');
    const secrets = await setupVaultSecrets(
      { vaultIds: ['a@missing', 'b@fails.sh', 'c@empty', 'd@good'], vaultPasswordFiles: [], askVaultPass: false },
      context(),
    );
    expect(passwords(secrets)).toEqual([['d', 'pw']]);
    expect(warnings).toEqual([
      `Error getting vault password file (a): The vault password file ${scratch.path('missing')} was not found`,
      `Error in vault password file loading (b): Vault password script ${scratch.path('fails.sh')} returned non-zero (3): None`,
      `Error in vault password file loading (c): Invalid vault password was provided from file (${scratch.path('empty')})`,
    ]);
  });

  it('fails with the last problem when no source works', async () => {
    await expect(setupVaultSecrets({ vaultIds: [], vaultPasswordFiles: ['nope'], askVaultPass: false }, context())).rejects.toThrow(
      `The vault password file ${scratch.path('nope')} was not found`,
    );
  });

  it('decrypts an encrypted password file with the secrets loaded before it', async () => {
    scratch.write('outer', 'outer-pw');
    const inner = new VaultLib([new VaultSecret('default', 'outer-pw')]).encrypt('inner-pw\n');
    scratch.write('inner.vault', inner);
    const secrets = await setupVaultSecrets({ vaultIds: ['o@outer', 'i@inner.vault'], vaultPasswordFiles: [], askVaultPass: false }, context());
    expect(passwords(secrets)).toEqual([['o', 'outer-pw'], ['i', 'inner-pw']]);
    await expect(setupVaultSecrets({ vaultIds: ['i@inner.vault'], vaultPasswordFiles: [], askVaultPass: false }, context())).rejects.toThrow(
      'A vault password must be specified to decrypt data',
    );
  });

  it('prompts with the texts Ansible uses', async () => {
    const ask = context(['  typed  ']);
    expect(passwords(await setupVaultSecrets({ vaultIds: [], vaultPasswordFiles: [], askVaultPass: true }, ask))).toEqual([['default', 'typed']]);
    expect(ask.prompter.asked).toEqual(['Vault password: ']);

    const labelled = context(['p1', 'p1', 'n1', 'n1']);
    const secrets = await setupVaultSecrets({ vaultIds: ['dev@prompt'], vaultPasswordFiles: [], askVaultPass: true, createNewPassword: true }, labelled);
    expect(passwords(secrets)).toEqual([['dev', 'p1'], ['default', 'n1']]);
    expect(labelled.prompter.asked).toEqual([
      'New vault password (dev): ',
      'Confirm new vault password (dev): ',
      'New Vault password: ',
      'Confirm New Vault password: ',
    ]);
  });

  it('rejects mismatched confirmations, empty answers and end of input', async () => {
    await expect(setupVaultSecrets({ vaultIds: [], vaultPasswordFiles: [], askVaultPass: true, createNewPassword: true }, context(['a', 'b']))).rejects.toThrow(
      'Passwords do not match',
    );
    await expect(setupVaultSecrets({ vaultIds: ['x@prompt'], vaultPasswordFiles: [], askVaultPass: false }, context(['']))).rejects.toThrow(
      'Invalid vault password was provided',
    );
    await expect(setupVaultSecrets({ vaultIds: [], vaultPasswordFiles: [], askVaultPass: false }, context([null]))).rejects.toThrow(
      'EOFError (ctrl-d) on prompt for (default)',
    );
    expect(warnings).toEqual([
      'Error in vault password prompt (default): Passwords do not match',
      'Error in vault password prompt (x): Invalid vault password was provided',
      'Error in vault password prompt (default): EOFError (ctrl-d) on prompt for (default)',
    ]);
  });
});

describe('createVaultSecrets (ansible-playbook)', () => {
  it('takes vault_identity_list first, then --vault-id, then the password files, and never prompts unasked', async () => {
    scratch.write('a', 'A');
    scratch.write('b', 'B');
    scratch.write('c', 'C');
    scratch.write('d', 'D');
    const config = loadConfig({
      env: cleanEnv(scratch.dir, { ANSIBLE_VAULT_IDENTITY_LIST: `cfg@${scratch.path('a')}`, ANSIBLE_VAULT_PASSWORD_FILE: scratch.path('d') }),
      cwd: scratch.dir,
      home: scratch.dir,
    });
    const prompter = scriptedPrompter([]);
    const secrets = await createVaultSecrets({ vaultIds: ['cli@b'], vaultPasswordFiles: ['c'], askVaultPass: false }, config, { cwd: scratch.dir, prompter });
    expect(passwords(secrets)).toEqual([['cfg', 'A'], ['cli', 'B'], ['default', 'C'], ['default', 'D']]);

    const none = loadConfig({ env: cleanEnv(scratch.dir), cwd: scratch.dir, home: scratch.dir });
    expect(await createVaultSecrets({ vaultIds: [], vaultPasswordFiles: [], askVaultPass: false }, none, { cwd: scratch.dir, prompter })).toEqual([]);
    expect(prompter.asked).toEqual([]);
  });

  it('prompts when ask_vault_pass is set in ansible.cfg and honours vault_id_match', async () => {
    scratch.write('ansible.cfg', '[defaults]\nask_vault_pass = True\nvault_id_match = True\n');
    const config = loadConfig({ env: cleanEnv(scratch.dir), cwd: scratch.dir, home: scratch.dir });
    const prompter = scriptedPrompter(['pw']);
    const vault = await createVaultLib({ vaultIds: [], vaultPasswordFiles: [], askVaultPass: false }, config, { cwd: scratch.dir, prompter });
    expect(prompter.asked).toEqual(['Vault password: ']);
    const labelled = new VaultLib([new VaultSecret('dev', 'pw')]).encrypt('x', undefined, 'dev');
    expect(() => vault.decrypt(labelled)).toThrow('Decryption failed');
    expect(vault.decrypt(vault.encrypt('y'))).toBe('y');
  });
});
