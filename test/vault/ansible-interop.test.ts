// Round trips with the real ansible-vault (and ansible for inline values), both ways:
// whole files and `!vault` strings, 1.1 and 1.2 envelopes, several secrets, wrong
// passwords and password scripts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/yaml/loader.js';
import { decryptFileContent, decryptIfVault, installVault } from '../../src/vault/active-vault.js';
import { VaultSecret } from '../../src/vault/secret.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { VaultText } from '../../src/yaml/tagged.js';
import { ansibleVault, cleanEnv, runCommand, Scratch, tsplayVault } from './helpers.js';

const PLAIN = 'db_user: app\ndb_password: "p@ss: w0rd"\nport: 5432\n';
let scratch: Scratch;

beforeAll(() => {
  scratch = new Scratch();
  scratch.write('plain.yml', PLAIN);
  scratch.write('pw-dev', 'dev-secret\n');
  scratch.write('pw-prod', 'prod-secret\n');
  scratch.script('pw-script.sh', 'echo dev-secret');
  scratch.script('team-client.sh', 'case "$2" in dev) echo dev-secret;; prod) echo prod-secret;; *) exit 2;; esac');
});
afterAll(() => {
  installVault(new VaultLib());
  scratch.remove();
});

const secret = (id: string, password: string) => new VaultSecret(id, password);

/** `ansible localhost -m debug -a var=<name> -e @<file>`: the variable as Ansible loads it. */
async function ansibleVariable(file: string, name: string, vaultArgs: string[]): Promise<unknown> {
  const run = await runCommand('ansible', ['localhost', '-m', 'debug', '-a', `var=${name}`, '-e', `@${file}`, ...vaultArgs], {
    cwd: scratch.dir,
    env: cleanEnv(scratch.dir, { ANSIBLE_LOCALHOST_WARNING: '0', ANSIBLE_INVENTORY_UNPARSED_WARNING: '0' }),
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  return (JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Record<string, unknown>)[name];
}

describe.concurrent('whole files', () => {
  it('ansible-vault 1.1 -> tsplay', async () => {
    const made = await ansibleVault(scratch, ['encrypt', '--vault-password-file', 'pw-dev', '--output', 'a11.yml', 'plain.yml']);
    expect(made.code, made.stderr).toBe(0);
    const text = readFileSync(scratch.path('a11.yml'), 'utf8');
    expect(text.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(new VaultLib([secret('default', 'dev-secret')]).decrypt(text)).toBe(PLAIN);
    const viewed = await tsplayVault(scratch, ['view', '--vault-password-file', 'pw-dev', 'a11.yml']);
    expect(viewed).toEqual({ code: 0, stdout: PLAIN, stderr: '' });
  });

  it('ansible-vault 1.2 with a vault id -> tsplay with several secrets', async () => {
    const made = await ansibleVault(scratch, ['encrypt', '--vault-id', 'prod@pw-prod', '--output', 'a12.yml', 'plain.yml']);
    expect(made.code, made.stderr).toBe(0);
    const text = readFileSync(scratch.path('a12.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    const vault = new VaultLib([secret('dev', 'dev-secret'), secret('prod', 'prod-secret')]);
    expect(vault.decryptAndGetVaultId(text)).toMatchObject({ vaultId: 'prod' });
    const viewed = await tsplayVault(scratch, ['view', '--vault-id', 'dev@pw-dev', '--vault-id', 'prod@team-client.sh', 'a12.yml']);
    expect(viewed).toEqual({ code: 0, stdout: PLAIN, stderr: '' });
  });

  it('tsplay 1.1 and 1.2 -> ansible-vault', async () => {
    const v11 = await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw-script.sh', '--output', 't11.yml', 'plain.yml']);
    const v12 = await tsplayVault(scratch, ['encrypt', '--vault-id', 'prod@pw-prod', '--output', 't12.yml', 'plain.yml']);
    expect([v11.code, v12.code]).toEqual([0, 0]);
    expect(readFileSync(scratch.path('t11.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(readFileSync(scratch.path('t12.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    const [a, b] = await Promise.all([
      ansibleVault(scratch, ['view', '--vault-password-file', 'pw-dev', 't11.yml']),
      ansibleVault(scratch, ['view', '--vault-id', 'dev@pw-dev', '--vault-id', 'prod@pw-prod', 't12.yml']),
    ]);
    expect(a).toEqual({ code: 0, stdout: PLAIN, stderr: '' });
    expect(b).toEqual({ code: 0, stdout: PLAIN, stderr: '' });
  });

  it('binary files survive both ways', async () => {
    const bytes = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37) % 256));
    scratch.write('blob.bin', bytes);
    const ours = await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw-dev', '--output', 'blob.t', 'blob.bin']);
    expect(ours.code).toBe(0);
    const theirs = await ansibleVault(scratch, ['decrypt', '--vault-password-file', 'pw-dev', '--output', 'blob.back', 'blob.t']);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(readFileSync(scratch.path('blob.back')).equals(bytes)).toBe(true);
    const made = await ansibleVault(scratch, ['encrypt', '--vault-password-file', 'pw-dev', '--output', 'blob.a', 'blob.bin']);
    expect(made.code).toBe(0);
    installVault(new VaultLib([secret('default', 'dev-secret')]));
    expect(decryptFileContent(readFileSync(scratch.path('blob.a')), 'blob.a').equals(bytes)).toBe(true);
  });

  it('ansible-vault rekey of a tsplay file and tsplay rekey of an ansible-vault file', async () => {
    await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw-dev', '--output', 'rk1.yml', 'plain.yml']);
    const theirRekey = await ansibleVault(scratch, ['rekey', '--vault-password-file', 'pw-dev', '--new-vault-id', 'prod@pw-prod', 'rk1.yml']);
    expect(theirRekey.code, theirRekey.stderr).toBe(0);
    expect(new VaultLib([secret('x', 'prod-secret')]).decrypt(readFileSync(scratch.path('rk1.yml')))).toBe(PLAIN);
    const ourRekey = await tsplayVault(scratch, ['rekey', '--vault-id', 'prod@pw-prod', '--new-vault-password-file', 'pw-script.sh', 'rk1.yml']);
    expect(ourRekey).toEqual({ code: 0, stdout: '', stderr: 'Rekey successful\n' });
    const viewed = await ansibleVault(scratch, ['view', '--vault-password-file', 'pw-dev', 'rk1.yml']);
    expect(viewed.stdout).toBe(PLAIN);
  });

  it('the wrong password fails the same way in both', async () => {
    await ansibleVault(scratch, ['encrypt', '--vault-password-file', 'pw-prod', '--output', 'wrong-a.yml', 'plain.yml']);
    await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw-prod', '--output', 'wrong-t.yml', 'plain.yml']);
    for (const file of ['wrong-a.yml', 'wrong-t.yml']) {
      for (const action of ['view', 'decrypt']) {
        const args = [action, '--vault-id', 'dev@pw-dev', '--vault-password-file', 'pw-script.sh', file];
        const [theirs, ours] = await Promise.all([ansibleVault(scratch, args), tsplayVault(scratch, args)]);
        expect(theirs.code).toBe(1);
        expect(ours).toEqual(theirs);
      }
    }
    installVault(new VaultLib([secret('default', 'dev-secret')]));
    const path = scratch.path('wrong-a.yml');
    expect(() => decryptIfVault(readFileSync(path, 'utf8'), path)).toThrow(`Decryption failed (no vault secrets were found that could decrypt) on ${path}`);
  });

  it('a whole encrypted vars file loads transparently through decryptIfVault', async () => {
    await ansibleVault(scratch, ['encrypt', '--vault-id', 'dev@pw-dev', '--output', 'vars.yml', 'plain.yml']);
    installVault(new VaultLib([secret('prod', 'prod-secret'), secret('dev', 'dev-secret')]));
    const path = scratch.path('vars.yml');
    expect(parseYaml(decryptIfVault(readFileSync(path, 'utf8'), path), path)).toEqual({ db_user: 'app', db_password: 'p@ss: w0rd', port: 5432 });
    expect(decryptIfVault(PLAIN, 'plain.yml')).toBe(PLAIN);
  });
});

describe.concurrent('inline !vault values', () => {
  it('ansible-vault encrypt_string -> the YAML loader and the installed vault', async () => {
    const made = await ansibleVault(scratch, ['encrypt_string', '--vault-id', 'dev@pw-dev', '-n', 'db_password', 'p@ss: w0rd']);
    expect(made.code, made.stderr).toBe(0);
    const loaded = parseYaml(`${made.stdout}\nport: 5432\n`, 'inline.yml') as Record<string, unknown>;
    expect(loaded.db_password).toBeInstanceOf(VaultText);
    installVault(new VaultLib([secret('prod', 'prod-secret'), secret('dev', 'dev-secret')]));
    expect((loaded.db_password as VaultText).value).toBe('p@ss: w0rd');
    expect(loaded.port).toBe(5432);
  });

  it('tsplay-vault encrypt_string (1.1 and 1.2, from args and stdin) -> ansible', async () => {
    const fromArgs = await tsplayVault(scratch, ['encrypt_string', '--vault-password-file', 'pw-dev', '--name', 'from_args', 'arg secret']);
    const fromStdin = await tsplayVault(scratch, ['encrypt_string', '--vault-id', 'prod@pw-prod', '--stdin-name', 'from_stdin'], { input: 'multi\nline\n' });
    expect([fromArgs.code, fromStdin.code]).toEqual([0, 0]);
    expect(fromStdin.stdout.split('\n')[1]).toBe('          $ANSIBLE_VAULT;1.2;AES256;prod');
    scratch.write('inline-args.yml', `${fromArgs.stdout}\n`);
    scratch.write('inline-stdin.yml', `${fromStdin.stdout}\n`);
    const [a, b] = await Promise.all([
      ansibleVariable('inline-args.yml', 'from_args', ['--vault-password-file', 'pw-dev']),
      ansibleVariable('inline-stdin.yml', 'from_stdin', ['--vault-id', 'dev@pw-dev', '--vault-id', 'prod@pw-prod']),
    ]);
    expect(a).toBe('arg secret');
    expect(b).toBe('multi\nline\n');
  });

  it('a wrong password for an inline value fails with the message Ansible gives', async () => {
    const made = await ansibleVault(scratch, ['encrypt_string', '--vault-password-file', 'pw-prod', 'x']);
    const value = parseYaml(`v: ${made.stdout}\n`, 'wrong.yml') as { v: VaultText };
    const vault = new VaultLib([secret('default', 'dev-secret')]);
    expect(() => vault.decrypt(value.v.ciphertext)).toThrow(/^Decryption failed \(no vault secrets were found that could decrypt\)$/);
  });
});
