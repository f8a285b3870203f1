// Reads a YAML/JSON data file the way Ansible's DataLoader does for inventories and
// group_vars/host_vars: whole-file vault encryption, JSON first, then YAML, and when both
// fail the combined "unable to read either as JSON nor YAML" error with the position.
import { readFileSync } from 'node:fs';
import { TsplayError } from '../errors.js';
import { parseYaml } from '../yaml/loader.js';
import { decryptIfVault } from '../vault/active-vault.js';

export const VAULT_HEADER = '$ANSIBLE_VAULT;';

/** Text of a file, decrypted when it is a vault file. */
export function readMaybeVaulted(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TsplayError(`Unable to retrieve file contents\nCould not find or access '${path}'`);
    throw new TsplayError(`Unable to retrieve file contents\nCould not find or access '${path}': ${code ?? String(err)}`);
  }
  return decryptIfVault(text, path);
}

/** The message of Python's json.loads for the usual non-JSON input. */
function jsonProblem(text: string, err: unknown): string {
  const at = text.search(/[^ \t\n\r]/);
  if (at < 0) return 'Expecting value: line 1 column 1 (char 0)';
  const first = text[at]!;
  if (!/[[{"\-0-9tfnNI]/.test(first)) {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    return `Expecting value: line ${line} column ${column} (char ${at})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Parse data text as JSON, else YAML; errors carry Ansible's wording and the position. */
export function parseDataText(text: string, file: string, jsonOnly = false): unknown {
  let jsonError: unknown;
  try {
    return JSON.parse(text);
  } catch (err) {
    jsonError = err;
  }
  if (jsonOnly) throw new TsplayError(jsonProblem(text, jsonError));
  try {
    return parseYaml(text, file);
  } catch (err) {
    if (!(err instanceof TsplayError)) throw err;
    throw new TsplayError(
      'We were unable to read either as JSON nor YAML, these are the errors we got from each:\n' +
        `JSON: ${jsonProblem(text, jsonError)}\n\n${err.message}`,
      { pos: err.pos, cause: err },
    );
  }
}

/** Load a YAML/JSON (possibly vaulted) data file. */
export function loadDataFile(path: string): unknown {
  return parseDataText(readMaybeVaulted(path), path);
}
