// sysctl (ansible.posix): a kernel parameter in a sysctl file (present/absent), set live
// with `sysctl -w` (sysctl_set) and/or by reloading the file (`sysctl -p file`), as
// Ansible's module decides it: the file's value first, then the running value.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { moduleBoolean } from '../../arguments.js';
import { Target } from '../files/target.js';

export interface SysctlArgs {
  name: string;
  value?: string | null;
  state: 'present' | 'absent';
  reload: boolean;
  sysctl_set: boolean;
  ignoreerrors: boolean;
  sysctl_file: string;
}

const LANG_ENV = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C' };

function parseValue(value: string | null | undefined): string {
  if (value === undefined || value === null) return '';
  try {
    // yes/no/true/false... become 1/0, as the module does.
    if (!/^\s*\d+\s*$/.test(value) || value.trim() === '1' || value.trim() === '0') return moduleBoolean(value) ? '1' : '0';
  } catch {
    // not a boolean
  }
  return value.trim();
}

const valuesEqual = (a: string | undefined, b: string) => {
  if (a === undefined) return false;
  const x = a.split(/\s+/).filter(Boolean);
  const y = b.split(/\s+/).filter(Boolean);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

const failedStderr = (err: string) => /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m.test(err);

export async function runSysctl(args: SysctlArgs, ctx: ModuleContext): Promise<ModuleResult> {
  if (args.name === '') throw new ModuleFailure('name cannot be blank');
  if (args.state === 'present' && args.value === '') throw new ModuleFailure('value cannot be blank');
  const target = new Target(ctx);
  const name = args.name.trim();
  const value = parseValue(args.value);
  const file = await target.expandPath(args.sysctl_file);

  const current = await target.run(['sysctl', '-e', '-n', name], { env: LANG_ENV });
  const procValue = current.rc === 0 ? current.stdout : undefined;

  const stat = await target.stat(file, { follow: true });
  const fileLines = stat?.type === 'file' ? (await target.readFile(file)).toString('utf8').split('\n').map((l) => l.trim()) : [];
  if (stat?.type === 'file' && fileLines[fileLines.length - 1] === '') fileLines.pop();
  const fileValues = new Map<string, string>();
  for (const line of fileLines) {
    if (!line || line.startsWith('#') || line.startsWith(';') || !line.includes('=')) continue;
    const eq = line.indexOf('=');
    fileValues.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  // The file rewritten: the key's first occurrence replaced (or dropped), duplicates of any key dropped.
  const checked = new Set<string>();
  const fixed: string[] = [];
  for (const line of fileLines) {
    if (!line.trim() || line.trim().startsWith('#') || line.trim().startsWith(';') || !line.includes('=')) {
      fixed.push(line);
      continue;
    }
    const eq = line.indexOf('=');
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    if (checked.has(k)) continue;
    checked.add(k);
    if (k === name) {
      if (args.state === 'present') fixed.push(`${k}=${value}`);
    } else fixed.push(`${k}=${v}`);
  }
  if (!checked.has(name) && args.state === 'present') fixed.push(`${name}=${value}`);

  const fileValue = fileValues.get(name);
  let changed = false;
  let writeFile = false;
  let setProc = false;
  if (fileValue === undefined && args.state === 'present') changed = writeFile = true;
  else if (fileValue === undefined && args.state === 'absent') changed = false;
  else if (fileValue && args.state === 'absent') changed = writeFile = true;
  else if (fileValue !== value) changed = writeFile = true;
  else if (args.reload) changed = procValue === undefined || !valuesEqual(procValue, value);
  if (args.sysctl_set && args.state === 'present') {
    if (procValue === undefined) changed = true;
    else if (!valuesEqual(procValue, value)) changed = setProc = true;
  }
  if (!ctx.checkMode) {
    if (setProc) {
      const quoted = value.split(/\s+/).filter(Boolean).length > 0 ? `"${value}"` : value;
      // The module runs the command through a shell-less split: the quotes stay in the value.
      const argv = ['sysctl', ...(args.ignoreerrors ? ['-e'] : []), '-w', `${name}=${quoted.replace(/^"(.*)"$/s, '$1')}`];
      const r = await target.run(argv, { env: LANG_ENV });
      if (r.rc !== 0 || failedStderr(r.stderr)) throw new ModuleFailure(`setting ${name} failed: ${r.stdout}${r.stderr}`);
    }
    if (writeFile) await target.writeFile(file, fixed.map((l) => `${l.trim()}\n`).join(''));
    if (changed && args.reload) {
      const r = await target.run(['sysctl', ...(args.ignoreerrors ? ['-e'] : []), '-p', file], { env: LANG_ENV });
      if (r.rc !== 0 || failedStderr(r.stderr)) throw new ModuleFailure(`Failed to reload sysctl: ${r.stdout}${r.stderr}`);
    }
  }
  return { changed };
}

export const sysctlModule: ModuleDefinition<SysctlArgs> = {
  name: 'ansible.posix.sysctl',
  aliases: ['ansible.builtin.sysctl', 'ansible.legacy.sysctl'],
  argSpec: {
    name: { type: 'str', required: true, aliases: ['key'] },
    value: { type: 'str', aliases: ['val'] },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    reload: { type: 'bool', default: true },
    sysctl_set: { type: 'bool', default: false },
    ignoreerrors: { type: 'bool', default: false },
    sysctl_file: { type: 'path', default: '/etc/sysctl.conf' },
  },
  constraints: { requiredIf: [['state', 'present', ['value']]] },
  supportsCheckMode: true,
  run: runSysctl,
};
