// script: a script from the controller (role files/ or beside the playbook) copied to a
// private temporary directory on the target and run there with its arguments, through
// the target's shell as Ansible does; `creates`/`removes` skip it, `chdir` must be absolute.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shellQuote } from '../../../connection/shell-quote.js';
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { actionFailure, actionFailureFrom } from '../files/action-failure.js';
import { findOnController, notFoundMessage } from '../files/controller-files.js';
import { Target, withOutputLines } from '../files/target.js';
import { ShlexError, shlexSplit } from './shlex.js';

interface ScriptArgs {
  _raw_params?: string | null;
  cmd?: string | null;
  creates?: string | null;
  removes?: string | null;
  chdir?: string | null;
  executable?: string | null;
  decrypt: boolean;
}

const MKTEMP_SCRIPT = `umask 077; mktemp -d "\${TMPDIR:-/tmp}/tsplay-script.XXXXXXXX"`;

export const scriptModule: ModuleDefinition<ScriptArgs> = {
  name: 'ansible.builtin.script',
  argSpec: {
    _raw_params: { type: 'str' },
    cmd: { type: 'str' },
    creates: { type: 'str' },
    removes: { type: 'str' },
    chdir: { type: 'str' },
    executable: { type: 'str' },
    decrypt: { type: 'bool', default: true },
  },
  freeForm: true,
  // An action plugin in Ansible, not a module: its results carry no invocation.
  invocation: false,
  // The script action does not validate its arguments.
  acceptsAnyArgs: true,
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    if (args.creates) {
      const path = await target.expandPath(args.creates);
      if (await target.stat(path)) return { changed: false, skipped: true, msg: `${args.creates} exists, matching creates option` };
    }
    if (args.removes) {
      const path = await target.expandPath(args.removes);
      if (!(await target.stat(path))) return { changed: false, skipped: true, msg: `${args.removes} does not exist, matching removes option` };
    }
    const chdir = args.chdir ?? undefined;
    if (chdir && !chdir.startsWith('/')) throw actionFailure(`chdir ${chdir} must be an absolute path for a Unix-aware remote node`);

    const raw = (args._raw_params ?? args.cmd ?? '').trim();
    let parts: string[];
    try {
      parts = shlexSplit(raw);
    } catch (error) {
      if (error instanceof ShlexError) throw new ModuleFailure(error.message);
      throw error;
    }
    if (!parts.length) throw new ModuleFailure('script requires the path of a script');
    const source = findOnController(ctx, 'files', parts[0]!);
    if (source === undefined) {
      const message = notFoundMessage(ctx, 'files', parts[0]!);
      throw actionFailureFrom(message, 'ansible.errors.AnsibleFileNotFound', message);
    }

    if (ctx.checkMode) {
      if (args.creates || args.removes) return { changed: true };
      return { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    }

    const tmpdir = (await target.shOk('could not create a temporary directory', MKTEMP_SCRIPT)).stdout.trim();
    try {
      // A name the shell reads back unchanged, so it can replace the one in the command line.
      const name = /^[\w.-]+$/.test(basename(source)) ? basename(source) : 'script';
      const remote = `${tmpdir}/${name}`;
      await target.writeFile(remote, readFileSync(source), { mode: 0o700 });
      // The arguments keep their quoting: they are shell words, as for Ansible.
      const command = raw.replace(parts[0]!, remote);
      const line = [chdir ? `cd ${shellQuote(chdir)} &&` : '', args.executable ?? '', command].filter(Boolean).join(' ');
      // On a terminal over ssh, as Ansible runs the script there (ssh -tt).
      const result = await target.run(line, { pty: true, report: ctx.noLog ? 'censored' : 'output' });
      const out = withOutputLines({ changed: true, rc: result.rc, stdout: result.stdout, stderr: result.stderr });
      if (result.rc !== 0) throw actionFailure('non-zero return code', out);
      return out;
    } finally {
      await target.sh('rm -rf -- "$1"', [tmpdir]).catch(() => undefined);
    }
  },
};
