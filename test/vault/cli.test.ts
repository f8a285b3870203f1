// tsplay-vault's commands, run in-process, and their messages and exit codes compared with
// ansible-vault 2.14 run on the same files.
import { existsSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecret } from '../../src/vault/secret.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { ansibleVault, Scratch, scriptedPrompter, tsplayVault, type RunResult } from './helpers.js';

const PLAIN = 'user: app\npassword: hunter2\n';
let scratch: Scratch;
const dev = new VaultLib([new VaultSecret('default', 'dev-secret')]);

beforeAll(() => {
  scratch = new Scratch();
  scratch.write('plain.yml', PLAIN);
  scratch.write('pw', 'dev-secret\n');
  scratch.write('pw2', 'other-secret\n');
  scratch.write('empty-pw', '\n');
  scratch.write('enc.yml', dev.encrypt(PLAIN));
  scratch.script('refusing-client.sh', 'echo "no secret for $2" >&2; exit 2');
  // Executable but not a script: must never be run through a shell.
  scratch.write('exec-pw', 'dev-secret\n', 0o755);
  const bad: Record<string, string> = {
    'odd.vault': '$ANSIBLE_VAULT;1.1;AES256\n123\n',
    'nonhex.vault': '$ANSIBLE_VAULT;1.1;AES256\nzz\n',
    'short.vault': '$ANSIBLE_VAULT;1.1;AES256\n3132\n',
    'cipher.vault': '$ANSIBLE_VAULT;1.1;AES\n3132\n',
    'header.vault': '$ANSIBLE_VAULT;1.1\n3132\n',
    'bare.vault': '$ANSIBLE_VAULT\n',
    'nobody.vault': '$ANSIBLE_VAULT;1.1;AES256\n',
    'innerhex.vault': `$ANSIBLE_VAULT;1.1;AES256\n${Buffer.from('zz\n3132\nabcd').toString('hex')}\n`,
    'emptyparts.vault': '$ANSIBLE_VAULT;1.1;AES256\n0a0a\n',
  };
  for (const [name, text] of Object.entries(bad)) scratch.write(name, text);
});
afterAll(() => scratch.remove());

const rename = (text: string) => text.replaceAll('ansible-vault', 'tsplay-vault');
const errorLine = (text: string) => text.split('\n').find((line) => line.includes(': error: ')) ?? text;
/** Vault text differs by its random salt; its shape must not. */
const maskHex = (text: string) => text.replace(/^( *)[0-9a-f]{2,80}$/gm, '$1<hex>');

async function both(args: string[], input?: string): Promise<[RunResult, RunResult]> {
  const options = input === undefined ? {} : { input };
  return Promise.all([ansibleVault(scratch, args, options), tsplayVault(scratch, args, options)]);
}

describe.concurrent('same messages and exit codes as ansible-vault', () => {
  const failures: [string, string[], string?][] = [
    ['not vault data (view keeps the name as given)', ['view', '--vault-password-file', 'pw', 'plain.yml']],
    ['not vault data (decrypt names the real path)', ['decrypt', '--vault-password-file', 'pw', 'plain.yml']],
    ['a missing file', ['view', '--vault-password-file', 'pw', 'missing.yml']],
    ['encrypting vault text', ['encrypt', '--vault-password-file', 'pw', '--output', '-', 'enc.yml']],
    ['an unknown --encrypt-vault-id', ['encrypt_string', '--vault-id', 'a@pw', '--encrypt-vault-id', 'c', 'x']],
    ['create on an existing file', ['create', '--vault-password-file', 'pw', 'enc.yml']],
    ['a missing password file', ['view', '--vault-password-file', 'nopw', 'enc.yml']],
    ['an empty password file', ['view', '--vault-password-file', 'empty-pw', 'enc.yml']],
    ['a client script without the secret', ['view', '--vault-id', 'prod@refusing-client.sh', 'enc.yml']],
    ['an executable password file that is no script', ['view', '--vault-password-file', 'exec-pw', 'enc.yml']],
    ['a directory as password file', ['view', '--vault-password-file', '.', 'enc.yml']],
    ['edit with the wrong password', ['edit', '--vault-id', 'x@pw2', 'enc.yml']],
    ['rekey with the wrong password', ['rekey', '--vault-password-file', 'pw2', '--new-vault-password-file', 'pw', 'enc.yml']],
    ['rekey to an unknown --encrypt-vault-id', ['rekey', '--vault-id', 'pw', '--new-vault-password-file', 'pw2', '--encrypt-vault-id', 'prod', 'enc.yml']],
    ...['odd', 'nonhex', 'short', 'cipher', 'header', 'bare', 'nobody', 'innerhex', 'emptyparts'].map(
      (name): [string, string[]] => [`damaged vault text: ${name}`, ['view', '--vault-password-file', 'pw', `${name}.vault`]],
    ),
  ];
  for (const [title, args, input] of failures) {
    it(title, async () => {
      const [theirs, ours] = await both(args, input);
      expect(theirs.code).toBe(1);
      expect(ours).toEqual({ ...theirs, stderr: rename(theirs.stderr) });
    });
  }

  const optionErrors: [string, string[], string?][] = [
    ['several vault ids and no --encrypt-vault-id', ['encrypt_string', '--vault-id', 'a@pw', '--vault-id', 'b@pw2', 'x']],
    ['--output with two files', ['encrypt', '--vault-password-file', 'pw', '--output', 'x', 'plain.yml', 'enc.yml']],
    ['encrypt_string with empty stdin', ['encrypt_string', '--vault-password-file', 'pw'], ''],
    ['encrypt_string with an empty argument', ['encrypt_string', '--vault-password-file', 'pw', '']],
    ['encrypt_string --prompt while reading stdin', ['encrypt_string', '--vault-password-file', 'pw', '-p', '-']],
    ['create with two files', ['create', '--vault-password-file', 'pw', 'a.yml', 'b.yml']],
  ];
  for (const [title, args, input] of optionErrors) {
    it(`${title} (exit 5 after the help)`, async () => {
      const [theirs, ours] = await both(args, input);
      expect(theirs.code).toBe(5);
      expect(ours.code).toBe(5);
      expect(ours.stderr).toBe(rename(theirs.stderr));
      expect(ours.stdout).toMatch(/^usage: tsplay-vault /);
    });
  }

  const usageErrors: string[][] = [
    ['view', '--bogus', 'x'],
    ['frob', 'x'],
    [],
    ['view', '--vault-password-file', 'pw', '--ask-vault-pass', 'x'],
    ['rekey', '--new-vault-id', 'a', '--new-vault-password-file', 'b', 'x'],
    ['view', '--vault-id'],
    ['encrypt_string', '--ask-vault', 'x'],
    ['view', '--ask-vault-password=yes', 'x'],
  ];
  for (const args of usageErrors) {
    it(`argument error: ${args.join(' ') || '(none)'}`, async () => {
      const [theirs, ours] = await both(args);
      expect(theirs.code).toBe(2);
      expect(ours.code).toBe(2);
      expect(errorLine(ours.stderr)).toBe(rename(errorLine(theirs.stderr)));
      expect(ours.stdout).toBe('');
    });
  }

  it('decrypt to stdout and view of several files', async () => {
    const [theirs, ours] = await both(['decrypt', '--vault-password-file', 'pw', '--output', '-', 'enc.yml']);
    expect(ours).toEqual(theirs);
    expect(ours.stdout).toBe(PLAIN);
    const [theirView, ourView] = await both(['view', '--vault-password-file', 'pw', 'enc.yml', 'enc.yml']);
    expect(ourView).toEqual(theirView);
  });

  it('encrypt_string output: names, blocks and the stderr notes', async () => {
    const args = ['encrypt_string', '--vault-id', 'dev@pw', '--stdin-name', 'from_stdin', '-n', 'first', '-n', 'second', 'one', 'two', 'three'];
    const [theirs, ours] = await both(args, 'piped\n');
    expect(theirs.code).toBe(0);
    expect({ ...ours, stdout: maskHex(ours.stdout) }).toEqual({ ...theirs, stdout: maskHex(theirs.stdout) });
    const [single, ourSingle] = await both(['encrypt_string', '--vault-password-file', 'pw', 'only']);
    expect(maskHex(ourSingle.stdout)).toBe(maskHex(single.stdout));
    expect(ourSingle.stdout.endsWith('\n')).toBe(false);
  });
});

describe.concurrent('tsplay-vault commands', () => {
  it('encrypt and decrypt in place, the encrypted file private to its owner', async () => {
    scratch.write('inplace.yml', PLAIN, 0o644);
    expect(await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw', 'inplace.yml'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(statSync(scratch.path('inplace.yml')).mode & 0o777).toBe(0o600);
    expect(dev.decrypt(readFileSync(scratch.path('inplace.yml')))).toBe(PLAIN);
    expect((await tsplayVault(scratch, ['decrypt', '--vault-password-file', 'pw', 'inplace.yml'])).code).toBe(0);
    expect(readFileSync(scratch.path('inplace.yml'), 'utf8')).toBe(PLAIN);
  });

  it('encrypt and decrypt standard input, telling a terminal user what happened', async () => {
    const encrypted = await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw'], { input: 'from stdin\n' });
    expect(encrypted.stdout.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    const decrypted = await tsplayVault(scratch, ['decrypt', '--vault-password-file', 'pw', '-'], { input: encrypted.stdout, stdoutIsTTY: true, stdinIsTTY: false });
    expect(decrypted).toEqual({ code: 0, stdout: 'from stdin\n', stderr: 'Decryption successful\n' });
    const prompted = await tsplayVault(scratch, ['encrypt', '--vault-password-file', 'pw', '--output', 'tty.yml'], { input: 'x', stdinIsTTY: true, stdoutIsTTY: true });
    expect(prompted.stderr).toBe('Reading plaintext input from stdin\nEncryption successful\n');
  });

  it('rekey keeps the file mode and can give the file a vault id', async () => {
    scratch.write('rekey.yml', dev.encrypt(PLAIN), 0o640);
    const result = await tsplayVault(scratch, ['rekey', '--vault-password-file', 'pw', '--new-vault-id', 'prod@pw2', 'rekey.yml']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'Rekey successful\n' });
    const text = readFileSync(scratch.path('rekey.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(new VaultLib([new VaultSecret('prod', 'other-secret')]).decrypt(text)).toBe(PLAIN);
    expect(statSync(scratch.path('rekey.yml')).mode & 0o777).toBe(0o640);
  });

  it('asks for a new password twice when encrypting with --ask-vault-pass', async () => {
    const prompter = scriptedPrompter(['typed', 'typed']);
    const result = await tsplayVault(scratch, ['encrypt_string', '--ask-vault-pass', 'value'], { prompter });
    expect(result.code).toBe(0);
    expect(prompter.asked).toEqual(['New Vault password: ', 'Confirm New Vault password: ']);
    const block = result.stdout.split('\n').slice(1).map((l) => l.trim()).join('\n');
    expect(new VaultLib([new VaultSecret('default', 'typed')]).decrypt(block)).toBe('value');
  });

  it('reads the password from stdin after a warning when there is no terminal', async () => {
    const result = await tsplayVault(scratch, ['view', '--ask-vault-pass', 'enc.yml'], { input: 'dev-secret\n', ttyPath: scratch.path('no-tty') });
    expect(result).toEqual({ code: 0, stdout: PLAIN, stderr: 'Warning: Password input may be echoed.\nVault password: \n' });
    const ended = await tsplayVault(scratch, ['view', 'enc.yml'], { input: '', ttyPath: scratch.path('no-tty') });
    expect(ended.code).toBe(1);
    expect(ended.stderr).toBe(
      'Warning: Password input may be echoed.\nVault password: [WARNING]: Error in vault password prompt (default): EOFError (ctrl-d) on\nprompt for (default)\nERROR! EOFError (ctrl-d) on prompt for (default)\n',
    );
    // The password line and then the data, both from stdin.
    const piped = await tsplayVault(scratch, ['encrypt', '--output', 'piped.yml'], { input: 'pipe-pw\npipe-pw\ndata line\n', ttyPath: scratch.path('no-tty') });
    expect(piped.code).toBe(0);
    expect(new VaultLib([new VaultSecret('default', 'pipe-pw')]).decrypt(readFileSync(scratch.path('piped.yml')))).toBe('data line\n');
  });

  it('encrypt_string --prompt asks for the name and the hidden string, before the arguments', async () => {
    // As in ansible-vault, -p without any argument would mean reading stdin too, which is refused.
    const prompter = scriptedPrompter(['api_key', 'k3y']);
    const result = await tsplayVault(scratch, ['encrypt_string', '--vault-password-file', 'pw', '-p', 'also this'], { prompter });
    expect(prompter.asked).toEqual(['Variable name (enter for no name): ', 'String to encrypt (hidden): ']);
    expect(result.stderr).toBe(
      '# The encrypted version of variable ("api_key", the string #1 from the interactive prompt).\n# The encrypted version of the string #2 from the command line args.)\n',
    );
    const blocks = result.stdout.split('\n').filter((line) => line.endsWith('!vault |'));
    expect(blocks).toEqual(['api_key: !vault |', '!vault |']);
    const shown = scriptedPrompter(['', 'visible']);
    const plain = await tsplayVault(scratch, ['encrypt_string', '--vault-password-file', 'pw', '-p', '--show-input', '--output', 'str.yml', 'x'], { prompter: shown });
    expect(plain).toEqual({ code: 0, stdout: '', stderr: expect.stringContaining('the interactive prompt') });
    expect(shown.asked[1]).toBe('String to encrypt:');
    expect(readFileSync(scratch.path('str.yml'), 'utf8').split('\n')[0]).toBe('!vault |');
    expect(statSync(scratch.path('str.yml')).mode & 0o777).toBe(0o600);
  });

  it('takes secrets and the encrypt identity from ansible.cfg and the environment', async () => {
    const result = await tsplayVault(scratch, ['encrypt_string', 'v'], {
      env: { ANSIBLE_VAULT_IDENTITY_LIST: 'dev@pw,ops@pw2', ANSIBLE_VAULT_ENCRYPT_IDENTITY: 'ops' },
    });
    expect(result.stdout.split('\n')[1]).toBe('          $ANSIBLE_VAULT;1.2;AES256;ops');
    const viewed = await tsplayVault(scratch, ['view', 'enc.yml'], { env: { ANSIBLE_VAULT_PASSWORD_FILE: scratch.path('pw') } });
    expect(viewed.stdout).toBe(PLAIN);
    const verbose = await tsplayVault(scratch, ['view', '-v', 'enc.yml'], { env: { ANSIBLE_VAULT_PASSWORD_FILE: scratch.path('pw') } });
    expect(verbose.stdout).toBe(`No config file found; using defaults\n${PLAIN}`);
  });

  it('view pages through $PAGER on a terminal', async () => {
    const result = await tsplayVault(scratch, ['view', '--vault-password-file', 'pw', 'enc.yml'], {
      stdoutIsTTY: true,
      env: { PAGER: `cat > '${scratch.path('paged.txt')}'` },
    });
    expect(result.code).toBe(0);
    expect(readFileSync(scratch.path('paged.txt'), 'utf8')).toBe(PLAIN);
  });

  it('prints help and exits 0', async () => {
    const top = await tsplayVault(scratch, ['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^usage: tsplay-vault \[-h\]/);
    const sub = await tsplayVault(scratch, ['rekey', '-h']);
    expect(sub.stdout).toMatch(/^usage: tsplay-vault rekey \[-h\]/);
    expect(sub.stdout).toContain('--new-vault-password-file');
  });
});

describe('create and edit through $EDITOR', () => {
  // The fake editor records how it was called and what it saw, then appends a line.
  let editor: string;
  beforeAll(() => {
    editor = scratch.script(
      'fake-editor.sh',
      [
        'for last in "$@"; do :; done',
        'printf "%s\\n" "$*" > "$(dirname "$0")/editor-args"',
        'stat -c "%a" "$last" > "$(dirname "$0")/editor-mode"',
        'stat -c "%a" "$(dirname "$last")" > "$(dirname "$0")/editor-dir-mode"',
        'cp "$last" "$(dirname "$0")/editor-saw"',
        'echo "added: true" >> "$last"',
      ].join('\n'),
    );
  });
  const seen = (name: string) => readFileSync(scratch.path(name), 'utf8');

  it('create writes what the editor saved, encrypted with the chosen vault id', async () => {
    const result = await tsplayVault(scratch, ['create', '--vault-id', 'dev@pw', '--vault-id', 'ops@pw2', '--encrypt-vault-id', 'ops', 'new/created.yml'], {
      env: { EDITOR: `${editor} --wait` },
    });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '[WARNING]: new does not exist, creating...\n' });
    const text = readFileSync(scratch.path('new/created.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;ops');
    expect(new VaultLib([new VaultSecret('ops', 'other-secret')]).decrypt(text)).toBe('added: true\n');
    const [flag, tempFile] = seen('editor-args').trim().split(' ');
    expect(flag).toBe('--wait');
    expect(tempFile).toMatch(/\.yml$/);
    expect(seen('editor-mode').trim()).toBe('600');
    expect(seen('editor-dir-mode').trim()).toBe('700');
    expect(seen('editor-saw')).toBe('');
    expect(existsSync(tempFile!)).toBe(false);
  });

  it('edit shows the plain text, keeps the vault id of the file and its mode', async () => {
    const original = new VaultLib([new VaultSecret('dev', 'dev-secret')]).encrypt(PLAIN, undefined, 'dev');
    scratch.write('edit.yml', original, 0o640);
    const result = await tsplayVault(scratch, ['edit', '--vault-id', 'other@pw', 'edit.yml'], { env: { EDITOR: editor } });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(seen('editor-saw')).toBe(PLAIN);
    const text = readFileSync(scratch.path('edit.yml'), 'utf8');
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect(dev.decrypt(text)).toBe(`${PLAIN}added: true\n`);
    expect(statSync(scratch.path('edit.yml')).mode & 0o777).toBe(0o640);
  });

  it('edit leaves the file alone when nothing changed, and ansible-vault reads what it saved', async () => {
    scratch.write('same.yml', dev.encrypt(PLAIN));
    const before = readFileSync(scratch.path('same.yml'), 'utf8');
    expect((await tsplayVault(scratch, ['edit', '--vault-password-file', 'pw', 'same.yml'], { env: { EDITOR: 'true' } })).code).toBe(0);
    expect(readFileSync(scratch.path('same.yml'), 'utf8')).toBe(before);
    await tsplayVault(scratch, ['edit', '--vault-password-file', 'pw', 'same.yml'], { env: { EDITOR: editor } });
    const viewed = await ansibleVault(scratch, ['view', '--vault-password-file', 'pw', 'same.yml']);
    expect(viewed.stdout).toBe(`${PLAIN}added: true\n`);
  });

  it('an editor that cannot start is a clear error and leaves no file', async () => {
    const result = await tsplayVault(scratch, ['create', '--vault-password-file', 'pw', 'never.yml'], { env: { EDITOR: '/nonexistent/editor -w' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ERROR! Unable to execute the command "\/nonexistent\/editor -w \S+\.yml": \[Errno 2\] No such file or directory: '\/nonexistent\/editor'\n$/);
    expect(existsSync(scratch.path('never.yml'))).toBe(false);
  });

  it('ansible-vault edit of a file tsplay-vault created', async () => {
    await tsplayVault(scratch, ['create', '--vault-id', 'dev@pw', 'theirs.yml'], { env: { EDITOR: editor } });
    chmodSync(editor, 0o755);
    const edited = await ansibleVault(scratch, ['edit', '--vault-id', 'dev@pw', 'theirs.yml'], { env: { EDITOR: editor } });
    expect(edited.code, edited.stderr).toBe(0);
    expect(readFileSync(scratch.path('theirs.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect((await tsplayVault(scratch, ['view', '--vault-id', 'dev@pw', 'theirs.yml'])).stdout).toBe('added: true\nadded: true\n');
  });
});
