// systemd (systemd_service): start/stop/restart/reload, enable, mask and daemon-reload
// through systemctl, with Ansible's result (name, changed, status from `systemctl show`,
// enabled, state). Where systemd is not PID 1 (containers, the test hosts) it falls back
// to the SysV init scripts through `service`/update-rc.d, says so in a warning, and
// reports `service_manager: sysv` with a status holding the ActiveState it saw.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';
import { isDeactivatingService, isRunningService, Systemctl } from './systemctl.js';
import { controlCommand, runDetached, sysvEnabled, sysvRunning, sysvSetEnabled, sysvTools, systemdIsRunning } from './sysv.js';

export interface SystemdArgs {
  name?: string | null;
  state?: 'reloaded' | 'restarted' | 'started' | 'stopped' | null;
  enabled?: boolean | null;
  force?: boolean | null;
  masked?: boolean | null;
  daemon_reload: boolean;
  daemon_reexec: boolean;
  scope: 'system' | 'user' | 'global';
  no_block: boolean;
}

const VALID_ENABLED_STATES = ['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient'];

const missing = (unit: string) => new ModuleFailure(`Could not find the requested service ${unit}: host`);

async function withSystemd(args: SystemdArgs, ctx: ModuleContext, target: Target): Promise<ModuleResult> {
  const command = ['systemctl'];
  if (args.scope !== 'system') command.push(`--${args.scope}`);
  if (args.no_block) command.push('--no-block');
  if (args.force) command.push('--force');
  const systemctl = new Systemctl(target, command);
  const unit = args.name ?? undefined;
  const result: ModuleResult = { name: unit ?? null, changed: false, status: {} };
  if (args.daemon_reload && !ctx.checkMode) {
    const r = await systemctl.run('daemon-reload');
    if (r.rc !== 0) throw new ModuleFailure(`failure ${r.rc} during daemon-reload: ${r.stderr}`);
  }
  if (args.daemon_reexec && !ctx.checkMode) {
    const r = await systemctl.run('daemon-reexec');
    if (r.rc !== 0) throw new ModuleFailure(`failure ${r.rc} during daemon-reexec: ${r.stderr}`);
  }
  if (!unit) return result;
  const isInitd = (await target.sh('[ -f "/etc/init.d/$1" ]', [unit])).rc === 0;
  let isSystemd = false;
  const shown = await systemctl.show(unit);
  let status: Record<string, string> = {};
  if (shown.rc === 0 && !/^Unknown operation|Request was ignored/m.test(shown.stdout + shown.stderr)) {
    status = shown.status;
    isSystemd = 'LoadState' in status && status.LoadState !== 'not-found';
    const isMasked = status.LoadState === 'masked';
    if (isSystemd && !isMasked && 'LoadError' in status) throw new ModuleFailure(`Error loading unit file '${unit}': ${status.LoadError}`);
  } else {
    const enabled = await systemctl.run('is-enabled', unit);
    if (VALID_ENABLED_STATES.includes(enabled.stdout.trim())) isSystemd = true;
    else if ((await systemctl.run('list-unit-files', unit)).rc === 0) isSystemd = true;
  }
  result.status = status;
  const found = isSystemd || isInitd;
  const warnings: string[] = [];
  if (isInitd && !isSystemd) warnings.push(`The service (${unit}) is actually an init script but the system is managed by systemd`);

  if (args.masked !== undefined && args.masked !== null) {
    const masked = (await systemctl.run('is-enabled', unit)).stdout.trim() === 'masked';
    if (masked !== args.masked) {
      result.changed = true;
      if (!ctx.checkMode) {
        const r = await systemctl.run(args.masked ? 'mask' : 'unmask', unit);
        if (r.rc !== 0 && !found) throw missing(unit);
      }
    }
  }
  if (args.enabled !== undefined && args.enabled !== null) {
    if (!found) throw missing(unit);
    const action = args.enabled ? 'enable' : 'disable';
    let enabled = false;
    const state = await systemctl.isEnabled(unit);
    if (state.rc === 0) {
      const lines = state.out.split('\n').filter(Boolean);
      enabled = !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
    } else if (state.rc === 1 && args.scope === 'system' && isInitd && !state.out.trim().endsWith('disabled')) {
      enabled = (await sysvEnabled(target, unit)).enabled;
    }
    result.enabled = enabled;
    if (enabled !== args.enabled) {
      result.changed = true;
      if (!ctx.checkMode) {
        const r = await systemctl.run(action, unit);
        if (r.rc !== 0) throw new ModuleFailure(`Unable to ${action} service ${unit}: ${r.stdout}${r.stderr}`);
      }
      result.enabled = !enabled;
    }
  }
  if (args.state) {
    if (!found) throw missing(unit);
    result.state = args.state;
    if (!('ActiveState' in status)) throw new ModuleFailure('Service is in unknown state', { status });
    let action: string | undefined;
    if (args.state === 'started') action = isRunningService(status) ? undefined : 'start';
    else if (args.state === 'stopped') action = isRunningService(status) || isDeactivatingService(status) ? 'stop' : undefined;
    else {
      action = isRunningService(status) ? args.state.slice(0, -2) : 'start';
      result.state = 'started';
    }
    if (action) {
      result.changed = true;
      if (!ctx.checkMode) {
        const r = await systemctl.run(action, unit);
        if (r.rc !== 0) throw new ModuleFailure(`Unable to ${action} service ${unit}: ${r.stderr}`);
      }
    }
  }
  return warnings.length ? { ...result, warnings } : result;
}

/** The same contract on a host without systemd: init scripts, `service`, update-rc.d. */
async function withSysv(args: SystemdArgs, ctx: ModuleContext, target: Target): Promise<ModuleResult> {
  const unit = (args.name ?? '').replace(/\.service$/, '');
  const result: ModuleResult = { name: args.name ?? null, changed: false, status: {}, service_manager: 'sysv' };
  // Nothing to reload without systemd: a daemon_reload alone is a quiet no-op.
  if (!unit) return result;
  result.warnings = [`systemd is not the init system (PID 1) of ${ctx.connection.host}: ${unit} is managed through its SysV init script`];
  const tools = await sysvTools(target, unit);
  if (!tools.initScript) {
    if (args.enabled != null || args.state || args.masked != null) throw missing(args.name!);
    return result;
  }
  if (args.masked !== undefined && args.masked !== null && args.masked) {
    throw new ModuleFailure(`Cannot mask ${unit}: masking needs systemd, and systemd is not running on this host`);
  }
  if (args.enabled !== undefined && args.enabled !== null) {
    const before = (await sysvEnabled(target, unit)).enabled;
    result.enabled = before;
    if (await sysvSetEnabled(target, tools, unit, args.enabled, ctx.checkMode)) {
      result.changed = true;
      result.enabled = args.enabled;
    }
  }
  const running = await sysvRunning(target, tools, unit, '');
  result.status = { ActiveState: running ? 'active' : 'inactive' };
  if (args.state) {
    result.state = args.state;
    let action: string | undefined;
    if (args.state === 'started') action = running ? undefined : 'start';
    else if (args.state === 'stopped') action = running ? 'stop' : undefined;
    else {
      action = running ? args.state.slice(0, -2) : 'start';
      result.state = 'started';
    }
    if (action) {
      result.changed = true;
      if (!ctx.checkMode) {
        const r = await runDetached(target, controlCommand(tools, unit, action, ''));
        if (r.rc !== 0) throw new ModuleFailure(`Unable to ${action} service ${unit}: ${r.stderr || r.stdout}`);
      }
    }
  }
  return result;
}

export async function runSystemd(args: SystemdArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const unit = args.name ?? undefined;
  if (unit) {
    const glob = ['*', '?', '['].find((g) => unit.includes(g));
    if (glob) throw new ModuleFailure(`This module does not currently support using glob patterns, found '${glob}' in service name: ${unit}`);
  }
  const target = new Target(ctx);
  return (await systemdIsRunning(target)) ? withSystemd(args, ctx, target) : withSysv(args, ctx, target);
}

export const systemdModule: ModuleDefinition<SystemdArgs> = {
  name: 'ansible.builtin.systemd',
  aliases: ['ansible.builtin.systemd_service', 'systemd_service', 'ansible.legacy.systemd_service'],
  argSpec: {
    name: { type: 'str', aliases: ['service', 'unit'] },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
    enabled: { type: 'bool' },
    force: { type: 'bool' },
    masked: { type: 'bool' },
    daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
    daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
    scope: { type: 'str', default: 'system', choices: ['system', 'user', 'global'] },
    no_block: { type: 'bool', default: false },
  },
  constraints: {
    requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
    requiredBy: { state: ['name'], enabled: ['name'], masked: ['name'] },
  },
  supportsCheckMode: true,
  run: runSystemd,
};
