// group: a local group present (with a gid) or absent, through groupadd/groupmod/groupdel
// (lgroupadd... with `local`), with Ansible's result: name, state, system, gid.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target, withOutputLines } from '../files/target.js';
import { getGroup } from './accounts.js';

export interface GroupArgs {
  state: 'absent' | 'present';
  name: string;
  gid?: number | null;
  system: boolean;
  local: boolean;
  non_unique: boolean;
}

export async function runGroup(args: GroupArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const { name } = args;
  const result: ModuleResult = { name, state: args.state };
  const tool = (cmd: string) => (args.local ? `l${cmd}` : cmd);
  let ran: { rc: number; stdout: string; stderr: string } | undefined;
  const existing = await getGroup(target, name, args.local);
  if (args.state === 'absent') {
    if (existing) {
      if (ctx.checkMode) return { changed: true };
      ran = await target.run([tool('groupdel'), name]);
      if (ran.rc !== 0) throw new ModuleFailure(ran.stderr, { name });
    }
  } else if (!existing) {
    if (ctx.checkMode) return { changed: true };
    const argv = [tool('groupadd')];
    if (args.gid !== undefined && args.gid !== null) {
      argv.push('-g', String(args.gid));
      if (args.non_unique) argv.push('-o');
    }
    if (args.system) argv.push('-r');
    ran = await target.run([...argv, name]);
  } else if (args.gid !== undefined && args.gid !== null && existing.gid !== args.gid) {
    if (ctx.checkMode) ran = { rc: 0, stdout: '', stderr: '' };
    else {
      const argv = [tool('groupmod'), '-g', String(args.gid)];
      if (args.non_unique) argv.push('-o');
      ran = await target.run([...argv, name]);
    }
  }
  if (ran && ran.rc !== 0) throw new ModuleFailure(ran.stderr, { name });
  result.changed = ran !== undefined;
  if (ran?.stdout) result.stdout = ran.stdout;
  if (ran?.stderr) result.stderr = ran.stderr;
  const now = await getGroup(target, name, args.local);
  if (now) {
    result.system = args.system;
    result.gid = now.gid;
  }
  return result;
}

export const groupModule: ModuleDefinition<GroupArgs> = {
  name: 'ansible.builtin.group',
  argSpec: {
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    name: { type: 'str', required: true },
    gid: { type: 'int' },
    system: { type: 'bool', default: false },
    local: { type: 'bool', default: false },
    non_unique: { type: 'bool', default: false },
  },
  constraints: { requiredIf: [['non_unique', true, ['gid']]] },
  supportsCheckMode: true,
  run: async (args, ctx) => withOutputLines(await runGroup(args, ctx)),
};
