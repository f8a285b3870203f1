// Turning --vault-id, --vault-password-file, --ask-vault-pass and ansible.cfg's vault
// settings into secrets, in Ansible's order: the configured identity list, then --vault-id
// in order, then the password files (command line, then vault_password_file), then the
// prompt. A source that fails is a warning as long as another one worked.
import { homedir } from 'node:os';
import type { Config } from '../config/index.js';
import { DEFAULT_VAULT_ID } from './envelope.js';
import { InputReader } from './input-reader.js';
import { loadPasswordSource, resolvePasswordFile } from './password-sources.js';
import { terminalPrompter, type Prompter } from './prompt.js';
import { VaultSecret } from './secret.js';
import { VaultError } from './errors.js';
import { VaultLib, type VaultLibOptions } from './vault-lib.js';

/** The vault options of ansible-playbook's and ansible-vault's command lines. */
export interface VaultCliOptions {
  vaultIds: readonly string[];
  vaultPasswordFiles: readonly string[];
  askVaultPass: boolean;
}

export interface SecretRequest extends VaultCliOptions {
  /** vault_password_file / ANSIBLE_VAULT_PASSWORD_FILE: tried after the command line's files. */
  configPasswordFile?: string | null | undefined;
  /** Prompts ask for a new password twice (create, encrypt, rekey's new password). */
  createNewPassword?: boolean;
  /** Prompt when no source was given at all (ansible-vault does, ansible-playbook does not). */
  autoPrompt?: boolean;
}

export interface SecretContext {
  cwd: string;
  home: string;
  /** vault_identity: the label of unlabelled sources ("default"). */
  defaultVaultId: string;
  prompter: Prompter;
  warn: (message: string) => void;
  verbose: (level: number, message: string) => void;
}

const PROMPT_SOURCES = new Set(['prompt', 'prompt_ask_vault_pass']);

/** `label@source` -> [label, source]; a bare source has no label. */
export function splitVaultId(slug: string): [string | undefined, string] {
  const at = slug.indexOf('@');
  return at < 0 ? [undefined, slug] : [slug.slice(0, at), slug.slice(at + 1)];
}

function promptTexts(source: string, vaultId: string, createNew: boolean): string[] {
  if (source === 'prompt_ask_vault_pass') {
    // --ask-vault-pass keeps the old prompt text that tools such as AWX wait for.
    return createNew ? ['New Vault password: ', 'Confirm New Vault password: '] : ['Vault password: '];
  }
  return createNew
    ? [`New vault password (${vaultId}): `, `Confirm new vault password (${vaultId}): `]
    : [`Vault password (${vaultId}): `];
}

async function promptSecret(prompter: Prompter, texts: string[], vaultId: string): Promise<Buffer> {
  const answers: string[] = [];
  for (const text of texts) {
    const answer = await prompter.secret(text);
    if (answer === null) throw new VaultError(`EOFError (ctrl-d) on prompt for (${vaultId})`);
    if (answer === '') throw new VaultError('Invalid vault password was provided');
    answers.push(answer.trim());
  }
  if (answers.some((a) => a !== answers[0])) throw new VaultError('Passwords do not match');
  return Buffer.from(answers[0]!, 'utf8');
}

export async function setupVaultSecrets(request: SecretRequest, context: SecretContext): Promise<VaultSecret[]> {
  const slugs = [...request.vaultIds];
  const files = [...request.vaultPasswordFiles, ...(request.configPasswordFile ? [request.configPasswordFile] : [])];
  for (const file of files) slugs.push(`${context.defaultVaultId}@${file}`);
  if (request.askVaultPass || (slugs.length === 0 && (request.autoPrompt ?? true))) {
    slugs.push(`${context.defaultVaultId}@prompt_ask_vault_pass`);
  }

  const secrets: VaultSecret[] = [];
  let lastError: unknown;
  for (const slug of slugs) {
    const [label, source] = splitVaultId(slug);
    // Python shows a missing label as None.
    const shownLabel = label ?? 'None';
    if (PROMPT_SOURCES.has(source)) {
      const vaultId = label || context.defaultVaultId;
      try {
        const password = await promptSecret(context.prompter, promptTexts(source, vaultId, request.createNewPassword ?? false), vaultId);
        secrets.push(new VaultSecret(vaultId, password, 'prompt'));
      } catch (err) {
        if (err instanceof VaultError) context.warn(`Error in vault password prompt (${shownLabel}): ${err.message}`);
        throw err;
      }
      continue;
    }
    context.verbose(5, `Reading vault password file: ${source}`);
    const sourceContext = { cwd: context.cwd, home: context.home, earlierSecrets: secrets, verbose: context.verbose };
    let path: string;
    try {
      path = resolvePasswordFile(source, sourceContext);
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      context.warn(`Error getting vault password file (${shownLabel}): ${err.message}`);
      lastError = err;
      continue;
    }
    try {
      const password = loadPasswordSource(source, path, label, sourceContext);
      secrets.push(new VaultSecret(label || context.defaultVaultId, password, path));
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      context.warn(`Error in vault password file loading (${shownLabel}): ${err.message}`);
      lastError = err;
    }
  }
  if (lastError && secrets.length === 0) throw lastError;
  return secrets;
}

/** Python truthiness of an untyped setting (vault_id_match): any non-empty string is true. */
function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === '' || value === 0);
}

/** How the playbook runner shows vault warnings and verbose text, and asks for passwords. */
export interface VaultRuntime {
  cwd?: string;
  home?: string;
  prompter?: Prompter;
  warn?: (message: string, formatted: boolean) => void;
  verbose?: (level: number, message: string) => void;
}

function defaultPrompter(): Prompter {
  return terminalPrompter({ stdin: new InputReader(process.stdin), stdout: process.stdout, stderr: process.stderr });
}

/** The secrets ansible-playbook would use for these options and this configuration. */
export async function createVaultSecrets(cli: VaultCliOptions, config: Config, runtime: VaultRuntime = {}): Promise<VaultSecret[]> {
  return setupVaultSecrets(
    {
      vaultIds: [...config.vaultIdentityList, ...cli.vaultIds],
      vaultPasswordFiles: cli.vaultPasswordFiles,
      askVaultPass: cli.askVaultPass || config.value<boolean>('DEFAULT_ASK_VAULT_PASS'),
      configPasswordFile: config.vaultPasswordFile,
      autoPrompt: false,
    },
    {
      cwd: runtime.cwd ?? process.cwd(),
      home: runtime.home ?? homedir(),
      defaultVaultId: config.vaultIdentity || DEFAULT_VAULT_ID,
      prompter: runtime.prompter ?? defaultPrompter(),
      warn: (message) => runtime.warn?.(message, false),
      verbose: runtime.verbose ?? (() => undefined),
    },
  );
}

/** VaultLib settings from ansible.cfg: vault_id_match and vault_identity. */
export function vaultLibOptions(config: Config, runtime: VaultRuntime = {}): VaultLibOptions {
  return {
    idMatch: truthy(config.value('DEFAULT_VAULT_ID_MATCH')),
    defaultVaultId: config.vaultIdentity || DEFAULT_VAULT_ID,
    ...(runtime.warn ? { warn: runtime.warn } : {}),
    ...(runtime.verbose ? { verbose: runtime.verbose } : {}),
  };
}

/** createVaultSecrets and a VaultLib holding them, ready for installVault(). */
export async function createVaultLib(cli: VaultCliOptions, config: Config, runtime: VaultRuntime = {}): Promise<VaultLib> {
  return new VaultLib(await createVaultSecrets(cli, config, runtime), vaultLibOptions(config, runtime));
}
