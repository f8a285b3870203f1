// The tsplay-vault actions, with ansible-vault's flow: read actions (view, decrypt, edit,
// rekey) load the secrets once; write actions (create, encrypt, encrypt_string) ask for a
// new password (twice) when prompting and need exactly one secret to encrypt with; rekey
// loads a second, new secret.
import type { Config } from '../../config/index.js';
import { OptionsError, TsplayError } from '../../errors.js';
import type { InputReader } from '../../vault/input-reader.js';
import type { Prompter } from '../../vault/prompt.js';
import type { VaultSecret } from '../../vault/secret.js';
import { setupVaultSecrets, vaultLibOptions, type SecretContext, type SecretRequest } from '../../vault/setup-secrets.js';
import { VaultEditor } from '../../vault/editor.js';
import { matchEncryptSecret, VaultLib } from '../../vault/vault-lib.js';
import { describeString, formatVaultYaml, nameArgs, type StringToEncrypt } from './encrypt-string.js';
import type { VaultCommandLine } from './options.js';
import type { VaultOutput } from './output.js';
import { page } from './pager.js';

export interface CommandContext {
  config: Config;
  output: VaultOutput;
  prompter: Prompter;
  stdin: InputReader;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
}

const NEED_PASSWORD = "A vault password is required to use Ansible's Vault";

function configEncryptIdentity(config: Config): string | undefined {
  const value = config.value<unknown>('DEFAULT_VAULT_ENCRYPT_IDENTITY');
  return value === null || value === undefined || value === '' ? undefined : String(value);
}

/** Checks argparse-level combinations ansible-vault rejects before touching any secret. */
function checkArguments(line: VaultCommandLine): void {
  if (line.action === 'encrypt_string' && line.prompt && readsStringFromStdin(line)) {
    throw new OptionsError('The --prompt option is not supported if also reading input from stdin');
  }
  if (line.outputFile && line.args.length > 1) throw new OptionsError('At most one input file may be used with the --output option');
}

function readsStringFromStdin(line: VaultCommandLine): boolean {
  return line.args.includes('-') || line.args.length === 0 || line.stdinName !== undefined;
}

export async function runVaultCommand(line: VaultCommandLine, ctx: CommandContext): Promise<void> {
  checkArguments(line);
  const { config, output } = ctx;
  const secretContext: SecretContext = {
    cwd: ctx.cwd,
    home: ctx.home,
    defaultVaultId: config.vaultIdentity || 'default',
    prompter: ctx.prompter,
    warn: (message) => output.warning(message),
    verbose: (level, message) => output.verbose(level, message),
  };
  const askVaultPass = line.askVaultPass || config.value<boolean>('DEFAULT_ASK_VAULT_PASS');
  const request = (vaultIds: string[], files: string[], createNewPassword: boolean): SecretRequest => ({
    vaultIds,
    vaultPasswordFiles: files,
    askVaultPass,
    configPasswordFile: config.vaultPasswordFile,
    createNewPassword,
    autoPrompt: true,
  });
  const vaultIds = [...config.vaultIdentityList, ...line.vaultIds];
  const action = line.action!;

  let secrets: VaultSecret[] = [];
  if (action === 'decrypt' || action === 'view' || action === 'rekey' || action === 'edit') {
    secrets = await setupVaultSecrets(request(vaultIds, line.vaultPasswordFiles, false), secretContext);
    if (secrets.length === 0) throw new OptionsError(NEED_PASSWORD);
  }

  let encryptSecret: VaultSecret | undefined;
  if (action === 'encrypt' || action === 'encrypt_string' || action === 'create') {
    const wanted = line.encryptVaultId || configEncryptIdentity(config);
    secrets = await setupVaultSecrets(request(vaultIds, line.vaultPasswordFiles, true), secretContext);
    if (secrets.length > 1 && !wanted) {
      throw new OptionsError(
        `The vault-ids ${secrets.map((s) => s.vaultId).join(',')} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id`,
      );
    }
    if (secrets.length === 0) throw new OptionsError(NEED_PASSWORD);
    encryptSecret = matchEncryptSecret(secrets, wanted);
  }

  let newSecret: VaultSecret | undefined;
  if (action === 'rekey') {
    const wanted = line.encryptVaultId || configEncryptIdentity(config);
    // As ansible-vault: with an encrypt identity the configured identities are candidates too.
    const newIds = wanted ? [...config.vaultIdentityList] : [];
    if (line.newVaultId) newIds.push(line.newVaultId);
    const newSecrets = await setupVaultSecrets(request(newIds, line.newVaultPasswordFile ? [line.newVaultPasswordFile] : [], true), secretContext);
    if (newSecrets.length === 0) throw new OptionsError("A new vault password is required to use Ansible's Vault rekey");
    newSecret = matchEncryptSecret(newSecrets, wanted);
  }

  const vault = new VaultLib(secrets, vaultLibOptions(config, { warn: (m, f) => output.warning(m, f), verbose: (l, m) => output.verbose(l, m) }));
  const editor = new VaultEditor(vault, {
    readStdin: () => ctx.stdin.readAll(),
    writeStdout: (data) => ctx.stdout.write(data),
    warn: (message) => output.warning(message),
    env: ctx.env,
    tmpDir: config.localTmp,
    cwd: ctx.cwd,
  });
  const files = line.args;

  switch (action) {
    case 'encrypt':
      if (files.length === 0 && ctx.stdinIsTTY) output.display('Reading plaintext input from stdin', { stderr: true });
      for (const file of files.length ? files : ['-']) await editor.encryptFile(file, encryptSecret!, encryptSecret!.vaultId, line.outputFile);
      if (ctx.stdoutIsTTY) output.display('Encryption successful', { stderr: true });
      return;
    case 'decrypt':
      if (files.length === 0 && ctx.stdinIsTTY) output.display('Reading ciphertext input from stdin', { stderr: true });
      for (const file of files.length ? files : ['-']) await editor.decryptFile(file, line.outputFile);
      if (ctx.stdoutIsTTY) output.display('Decryption successful', { stderr: true });
      return;
    case 'create':
      if (files.length !== 1) throw new OptionsError('tsplay-vault create can take only one filename argument');
      await editor.createFile(files[0]!, encryptSecret!, encryptSecret!.vaultId);
      return;
    case 'edit':
      for (const file of files) await editor.editFile(file);
      return;
    case 'view':
      for (const file of files) await page((await editor.plaintext(file)).toString('utf8'), output, ctx.stdoutIsTTY, ctx.env);
      return;
    case 'rekey':
      for (const file of files) await editor.rekeyFile(file, newSecret!, newSecret!.vaultId);
      output.display('Rekey successful', { stderr: true });
      return;
    case 'encrypt_string':
      await encryptStrings(line, ctx, editor, encryptSecret!);
      return;
  }
}

async function encryptStrings(line: VaultCommandLine, ctx: CommandContext, editor: VaultEditor, secret: VaultSecret): Promise<void> {
  const { output } = ctx;
  const strings: StringToEncrypt[] = [];
  const args = line.args.filter((arg) => arg !== '-');

  if (line.prompt) {
    const name = await ctx.prompter.line('Variable name (enter for no name): ');
    const text = line.showInput ? await ctx.prompter.line('String to encrypt:') : await ctx.prompter.secret('String to encrypt (hidden): ');
    if (name === null || text === null) throw new TsplayError('EOFError (ctrl-d) on the prompt');
    if (text === '') throw new OptionsError('The plaintext provided from the prompt was empty, not encrypting');
    strings.push({ plaintext: Buffer.from(text, 'utf8'), origin: 'the interactive prompt', name: name || undefined });
  }

  if (readsStringFromStdin(line)) {
    if (ctx.stdoutIsTTY) {
      output.display('Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)', { stderr: true });
    }
    const text = await ctx.stdin.readAll();
    if (text.length === 0) throw new OptionsError('stdin was empty, not encrypting');
    if (ctx.stdoutIsTTY && text[text.length - 1] !== 0x0a) output.display('\n');
    strings.push({ plaintext: text, origin: 'stdin', name: line.stdinName });
  }

  if (line.names.length > 0 && args.length > line.names.length) {
    // Vague on purpose: naming the unnamed strings would show plain text.
    output.display('The number of --name options do not match the number of args.', { stderr: true });
    output.display(`The last named variable will be "${line.names[line.names.length - 1]}". The rest will not have names.`, { stderr: true });
  }
  for (const [name, text] of nameArgs(args, line.names)) {
    if (text === '') throw new OptionsError('The plaintext provided from the command line args was empty, not encrypting');
    strings.push({ plaintext: Buffer.from(text, 'utf8'), origin: 'the command line args', name });
  }

  const blocks = strings.map((item, index) => {
    const block = formatVaultYaml(editor.encryptBytes(item.plaintext, secret, secret.vaultId), item.name);
    if (strings.length > 1) ctx.stderr.write(describeString(item, index));
    return block;
  });
  editor.writeData(blocks.join('\n'), line.outputFile || '-');
  if (ctx.stdoutIsTTY) output.display('Encryption successful', { stderr: true });
}
