// package: the generic package module. Like Ansible's action, it runs the host's own
// package module (apt, dnf, yum) with the task's arguments, picked by `use`, else by
// the ansible_pkg_mgr fact, else by looking at which package tool the target has.
import { validateModuleArgs } from '../../arguments.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';
import { aptModule } from './apt.js';
import { dnfModule, yumModule } from './rpm.js';

const BACKENDS: Record<string, ModuleDefinition<never>> = {
  apt: aptModule as ModuleDefinition<never>,
  dnf: dnfModule as ModuleDefinition<never>,
  yum: yumModule as ModuleDefinition<never>,
};

// Same order as the fact gathering's package manager detection.
const DETECT_SCRIPT = `for m in apt-get dnf yum apk zypper pacman; do
  if command -v "$m" >/dev/null 2>&1; then case $m in apt-get) echo apt;; *) echo "$m";; esac; exit 0; fi
done
echo unknown`;

function factPkgMgr(ctx: ModuleContext): string | undefined {
  const facts = ctx.vars.get('ansible_facts') as Record<string, unknown> | undefined;
  const value = facts?.pkg_mgr ?? ctx.vars.get('ansible_pkg_mgr');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function detectPackageManager(ctx: ModuleContext): Promise<string> {
  return (await new Target(ctx).sh(DETECT_SCRIPT)).stdout.trim() || 'unknown';
}

interface PackageArgs {
  name: unknown;
  state: string;
  use: string;
  [key: string]: unknown;
}

export const packageModule: ModuleDefinition<PackageArgs> = {
  name: 'ansible.builtin.package',
  argSpec: {
    name: { type: 'raw', required: true },
    state: { type: 'str', required: true },
    use: { type: 'str', default: 'auto' },
  },
  // The backend module checks the other arguments (update_cache, enablerepo...).
  acceptsAnyArgs: true,
  supportsCheckMode: true,
  async run(args, ctx): Promise<ModuleResult> {
    const { use, ...rest } = args;
    let manager = use === 'auto' ? factPkgMgr(ctx) : use;
    if (manager === undefined || manager === 'auto') manager = await detectPackageManager(ctx);
    if (manager === 'unknown') throw new ModuleFailure('Could not detect which package manager to use. Try gathering facts or setting the "use" option.');
    const backend = BACKENDS[manager];
    if (!backend) throw new ModuleFailure(`Could not find a module for ${manager}.`);
    const params = validateModuleArgs(backend as unknown as ModuleDefinition, rest, manager);
    return (backend as unknown as ModuleDefinition).run(params, ctx);
  },
};
