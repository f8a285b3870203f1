// service: the generic service module as Ansible's LinuxService runs it: systemctl when
// systemd is the init system, else the SysV init script through `service` with
// update-rc.d for `enabled`. Result: name, changed, state (started/stopped), enabled.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';
import { isRunningService, Systemctl } from './systemctl.js';
import { controlCommand, patternRunning, runDetached, sysvRunning, sysvSetEnabled, sysvTools, systemdIsRunning } from './sysv.js';

export interface ServiceArgs {
  name: string;
  state?: 'started' | 'stopped' | 'reloaded' | 'restarted' | null;
  sleep?: number | null;
  pattern?: string | null;
  enabled?: boolean | null;
  runlevel: string;
  arguments: string;
}

/** How this host's services are driven: the running state, control verbs and boot enablement. */
interface Manager {
  running(): Promise<boolean | undefined>;
  control(action: string): Promise<{ rc: number; stdout: string; stderr: string }>;
  /** Returns whether enablement changed (or would). */
  setEnabled(enable: boolean, check: boolean): Promise<boolean>;
}

async function systemdManager(target: Target, name: string, args: string): Promise<Manager> {
  const systemctl = new Systemctl(target);
  const extra = args.split(/\s+/).filter(Boolean);
  return {
    async running() {
      const shown = await systemctl.show(name);
      if (shown.rc !== 0) throw new ModuleFailure(`failure ${shown.rc} running systemctl show for '${name}': ${shown.stderr}`);
      if (shown.status.LoadState === 'not-found') throw new ModuleFailure(`systemd could not find the requested service "'${name}'": `);
      if (!('ActiveState' in shown.status)) throw new ModuleFailure(`No ActiveState value in systemctl show output for '${name}'`);
      return isRunningService(shown.status);
    },
    control: (action) => systemctl.run(action, name, ...extra),
    async setEnabled(enable, check) {
      const state = await systemctl.isEnabled(name);
      const lines = state.out.split('\n').filter(Boolean);
      let enabled = state.rc === 0 && !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
      if (state.rc !== 0 && !state.out.trim().endsWith('disabled')) {
        const sysv = await target.sh('for f in /etc/rc?.d/S??"$1"; do [ -e "$f" ] && exit 0; done; exit 1', [name]);
        enabled = sysv.rc === 0;
      }
      if (enabled === enable) return false;
      if (check) return true;
      const action = enable ? 'enable' : 'disable';
      const r = await systemctl.run(action, name);
      if (r.rc !== 0) throw new ModuleFailure(r.stderr ? `Error when trying to ${action} ${name}: rc=${r.rc} ${r.stderr}` : `Failure for ${action} ${name}: rc=${r.rc} ${r.stdout}`);
      return true;
    },
  };
}

async function sysvManager(target: Target, name: string, args: string): Promise<Manager> {
  const tools = await sysvTools(target, name);
  if (!tools.service && !tools.initScript) throw new ModuleFailure("cannot find 'service' binary or init script for service,  possible typo in service name?, aborting");
  return {
    running: () => sysvRunning(target, tools, name, args),
    control: (action) => runDetached(target, controlCommand(tools, name, action, args)),
    setEnabled: (enable, check) => {
      if (!tools.initScript) throw new ModuleFailure(`Could not find the requested service ${name}: host`);
      return sysvSetEnabled(target, tools, name, enable, check);
    },
  };
}

export async function runService(args: ServiceArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const { name } = args;
  const manager = (await systemdIsRunning(target)) ? await systemdManager(target, name, args.arguments) : await sysvManager(target, name, args.arguments);
  const result: ModuleResult = { name };
  let changed = false;
  if (args.enabled !== undefined && args.enabled !== null) {
    changed = await manager.setEnabled(args.enabled, ctx.checkMode);
    result.enabled = args.enabled;
  }
  if (!args.state) return { ...result, changed };

  const running = args.pattern ? await patternRunning(target, args.pattern) : await manager.running();
  if (running === undefined) throw new ModuleFailure('failed determining service state, possible typo of service name?');
  const change = (!running && (args.state === 'reloaded' || args.state === 'started')) || (running && (args.state === 'reloaded' || args.state === 'stopped')) || args.state === 'restarted';
  if (ctx.checkMode && change) return { changed: true, msg: 'service state changed' };
  if (change) {
    const action = args.state === 'started' || (!running && args.state === 'reloaded') ? 'start' : args.state === 'stopped' ? 'stop' : args.state === 'reloaded' ? 'reload' : 'restart';
    let outcome;
    if (action === 'restart') {
      // Not every init script knows restart: stop, then start.
      const stopped = await manager.control('stop');
      if (args.sleep) await new Promise((r) => setTimeout(r, args.sleep! * 1000));
      const started = await manager.control('start');
      outcome = stopped.rc !== 0 && started.rc === 0 ? started : { rc: stopped.rc + started.rc, stdout: stopped.stdout + started.stdout, stderr: stopped.stderr + started.stderr };
    } else outcome = await manager.control(action);
    if (outcome.rc !== 0 && !outcome.stderr.includes('Job is already running')) throw new ModuleFailure(outcome.stderr || outcome.stdout);
  }
  return { ...result, changed: changed || change, state: args.state === 'stopped' ? 'stopped' : 'started' };
}

export const serviceModule: ModuleDefinition<ServiceArgs> = {
  name: 'ansible.builtin.service',
  argSpec: {
    name: { type: 'str', required: true },
    state: { type: 'str', choices: ['started', 'stopped', 'reloaded', 'restarted'] },
    sleep: { type: 'int' },
    pattern: { type: 'str' },
    enabled: { type: 'bool' },
    runlevel: { type: 'str', default: 'default' },
    arguments: { type: 'str', default: '', aliases: ['args'] },
  },
  constraints: { requiredOneOf: [['state', 'enabled']] },
  supportsCheckMode: true,
  run: runService,
};
