// -e / --extra-vars: `k=v` pairs, inline YAML/JSON, or @file; later ones win.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionsError, TsplayError } from '../errors.js';
import { parseKv } from '../parsing/split-args.js';
import { loadYamlFile, parseYaml } from '../yaml/loader.js';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function loadExtraVars(values: readonly string[], cwd: string): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  values.forEach((raw, index) => {
    let data: unknown;
    if (raw.startsWith('@')) {
      const path = resolve(cwd, raw.slice(1));
      if (!existsSync(path)) {
        throw new TsplayError(
          `Unable to retrieve file contents\nCould not find or access '${path}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
        );
      }
      data = loadYamlFile(path);
    } else if (raw.startsWith('{') || raw.startsWith('[')) {
      data = parseYaml(raw, `<extra-vars ${index + 1}>`);
    } else if (raw.trim() !== '') {
      data = parseKv(raw);
    } else {
      data = {};
    }
    if (data === null || data === undefined) return;
    if (!isMapping(data)) {
      // ansible-playbook reports this as an options error (exit 5).
      throw new OptionsError(`Invalid extra vars data supplied. '${raw}' could not be made into a dictionary`);
    }
    Object.assign(vars, data);
  });
  return vars;
}
