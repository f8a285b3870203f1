// The file operations behind tsplay-vault's commands, as Ansible's VaultEditor: encrypt,
// decrypt, view, create, edit (through $EDITOR on a private temporary copy) and rekey.
// `-` as a file name means standard input or output.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { shlexSplit } from '../inventory/shlex.js';
import { parseEnvelope, WRITABLE_CIPHERS } from './envelope.js';
import { VaultError } from './errors.js';
import { pyOsError } from '../template/python/os-error.js';
import type { VaultSecret } from './secret.js';
import { isFile, privateTempFile, realPath, restoreOwnership, shuffleInto, writeSecurely } from './secure-files.js';
import type { VaultLib } from './vault-lib.js';

export interface EditorIo {
  readStdin(): Promise<Buffer>;
  writeStdout(data: Buffer): void;
  warn(message: string): void;
  /** $EDITOR comes from here. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where the editor's temporary copy lives (local_tmp). */
  tmpDir: string;
  /** Relative file names are relative to this directory (messages keep them as given). */
  cwd: string;
}

/** A vault failure with " for <file>" appended, as ansible-vault reports them. */
function forFile(err: unknown, file: string): unknown {
  return err instanceof VaultError ? new VaultError(`${err.message} for ${file}`, { cause: err }) : err;
}

/** Run the editor on the user's terminal; its exit status does not matter (as in Ansible). */
function runEditor(command: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', cwd });
    child.on('error', reject);
    child.on('close', () => resolvePromise());
  });
}

function editorCommand(editor: string): string[] {
  try {
    return shlexSplit(editor);
  } catch (err) {
    throw new VaultError(`Cannot split $EDITOR (${editor}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

export class VaultEditor {
  constructor(
    readonly vault: VaultLib,
    private readonly io: EditorIo,
  ) {}

  private realPath(filename: string): string {
    return filename === '-' ? filename : realPath(this.path(filename));
  }

  /** Where a file name given relative to the working directory is. */
  private path(filename: string): string {
    return resolve(this.io.cwd, filename);
  }

  async readData(filename: string): Promise<Buffer> {
    if (filename === '-') return this.io.readStdin();
    try {
      return readFileSync(this.path(filename));
    } catch (err) {
      throw new VaultError(`Unable to read source file (${filename}): ${pyOsError(err, filename)}`);
    }
  }

  writeData(data: Buffer | string, target: string, shred = true): void {
    if (target === '-') this.io.writeStdout(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    else writeSecurely(this.path(target), data, shred);
  }

  encryptBytes(plaintext: Buffer | string, secret: VaultSecret, vaultId?: string): string {
    return this.vault.encrypt(plaintext, secret, vaultId);
  }

  async encryptFile(filename: string, secret: VaultSecret, vaultId: string | undefined, output?: string): Promise<void> {
    const path = this.realPath(filename);
    const plaintext = await this.readData(path);
    this.writeData(this.vault.encrypt(plaintext, secret, vaultId), output || path);
  }

  async decryptFile(filename: string, output?: string): Promise<void> {
    const path = this.realPath(filename);
    const data = await this.readData(path);
    let plaintext: Buffer;
    try {
      plaintext = this.vault.decryptBytes(data, path);
    } catch (err) {
      throw forFile(err, path);
    }
    this.writeData(plaintext, output || path, false);
  }

  /** The plain text of a vault file (for view). */
  async plaintext(filename: string): Promise<Buffer> {
    const data = await this.readData(filename);
    try {
      return this.vault.decryptBytes(data, filename);
    } catch (err) {
      throw forFile(err, filename);
    }
  }

  async createFile(filename: string, secret: VaultSecret, vaultId: string | undefined): Promise<void> {
    if (isFile(this.path(filename))) throw new VaultError(`${filename} exists, please use 'edit' instead`);
    const dir = dirname(filename);
    if (dir !== '.' && !existsSync(this.path(dir))) {
      this.io.warn(`${dir} does not exist, creating...`);
      mkdirSync(this.path(dir), { recursive: true, mode: 0o700 });
    }
    await this.editWithEditor(this.path(filename), secret, undefined, false, vaultId);
  }

  async editFile(filename: string): Promise<void> {
    const path = this.realPath(filename);
    const data = await this.readData(path);
    let decrypted;
    try {
      decrypted = this.vault.decryptAndGetVaultId(data);
    } catch (err) {
      throw forFile(err, path);
    }
    // Keep the file's own label (and so its format version) when saving it again.
    const envelope = parseEnvelope(data.toString('latin1'), this.vault.defaultVaultId, path);
    const forceSave = !WRITABLE_CIPHERS.has(envelope.cipherName);
    await this.editWithEditor(path, decrypted.secret, decrypted.plaintext, forceSave, envelope.vaultId);
  }

  async rekeyFile(filename: string, newSecret: VaultSecret, newVaultId: string | undefined): Promise<void> {
    const path = this.realPath(filename);
    const data = await this.readData(path);
    let plaintext: Buffer;
    try {
      plaintext = this.vault.decryptBytes(data);
    } catch (err) {
      throw forFile(err, path);
    }
    const previous = statSync(path);
    this.writeData(this.vault.encrypt(plaintext, newSecret, newVaultId), path);
    restoreOwnership(path, previous);
  }

  /**
   * Put the plain text in a private temporary file, let $EDITOR change it, and encrypt the
   * result into `filename` if it changed (a new file is always written).
   */
  private async editWithEditor(filename: string, secret: VaultSecret, existing: Buffer | undefined, forceSave: boolean, vaultId: string | undefined): Promise<void> {
    const temp = privateTempFile(this.io.tmpDir, extname(realPath(filename)));
    try {
      if (existing) this.writeData(existing, temp.path, false);
      const command = [...editorCommand(this.io.env.EDITOR ?? 'vi'), temp.path];
      try {
        await runEditor(command, this.io.cwd);
      } catch (err) {
        throw new VaultError(`Unable to execute the command "${command.join(' ')}": ${pyOsError(err, command[0])}`);
      }
      const edited = await this.readData(temp.path);
      if (forceSave || existing === undefined || !existing.equals(edited)) {
        this.writeData(this.vault.encrypt(edited, secret, vaultId), temp.path);
        shuffleInto(temp.path, filename);
      }
    } finally {
      temp.dispose();
    }
  }
}
