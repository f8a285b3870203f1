// Services without systemd: SysV init scripts in /etc/init.d driven through `service`
// (or the script itself), enabled with update-rc.d, as Ansible's service module does on
// a Debian host whose PID 1 is not systemd. Init scripts start daemons that keep their
// output open, so every control command writes to files, never to our pipes.
import { ModuleFailure } from '../../module.js';
import type { Target } from '../files/target.js';

/** Is systemd the init system (sd_booted's test, then PID 1's name)? */
export async function systemdIsRunning(target: Target): Promise<boolean> {
  const result = await target.sh(`command -v systemctl >/dev/null 2>&1 || exit 1
for d in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$d" ] && exit 0; done
grep -q systemd /proc/1/comm 2>/dev/null`);
  return result.rc === 0;
}

export interface SysvTools {
  /** /etc/init.d/<name> when it exists. */
  initScript: string | undefined;
  /** The `service` command. */
  service: string | undefined;
  /** update-rc.d, insserv or chkconfig. */
  enableTool: string | undefined;
}

export async function sysvTools(target: Target, name: string): Promise<SysvTools> {
  const result = await target.sh(`PATH=$PATH:/sbin:/usr/sbin:/bin:/usr/bin
if [ -f "/etc/init.d/$1" ]; then echo "/etc/init.d/$1"; else echo; fi
command -v service || echo
command -v update-rc.d || command -v insserv || command -v chkconfig || echo`, [name]);
  const [initScript, service, enableTool] = result.stdout.split('\n').map((l) => l.trim() || undefined);
  return { initScript, service, enableTool };
}

// "$@": the command. Its output goes through temporary files: a daemon it starts keeps
// those open, not the connection's pipes. stdout, then a NUL, then stderr; exit status kept.
const DETACHED_SCRIPT = `o=$(mktemp) && e=$(mktemp) || exit 1
"$@" </dev/null >"$o" 2>"$e"; rc=$?
cat "$o"; printf '\\0'; cat "$e"; rm -f "$o" "$e"; exit $rc`;

export async function runDetached(target: Target, argv: readonly string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  const result = await target.sh(DETACHED_SCRIPT, argv, { env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' } });
  const split = result.stdout.indexOf('\0');
  return split === -1 ? result : { rc: result.rc, stdout: result.stdout.slice(0, split), stderr: result.stdout.slice(split + 1) };
}

/** `service <name> <action> [arguments]`, or the init script itself. */
export function controlCommand(tools: SysvTools, name: string, action: string, args: string): string[] {
  const extra = args.split(/\s+/).filter(Boolean);
  if (tools.service) return [tools.service, name, action, ...extra];
  if (tools.initScript) return [tools.initScript, action, ...extra];
  throw new ModuleFailure("cannot find 'service' binary or init script for service,  possible typo in service name?, aborting");
}

/** Running or not, from `status` as Ansible's service module reads it (exit code, then keywords). */
export async function sysvRunning(target: Target, tools: SysvTools, name: string, args: string): Promise<boolean | undefined> {
  const { rc, stdout } = await runDetached(target, controlCommand(tools, name, 'status', args));
  if ([1, 2, 3, 4, 69].includes(rc)) return false;
  if ((stdout.match(/\n/g) ?? []).length <= 1) {
    const clean = stdout.toLowerCase().split(name.toLowerCase()).join('');
    if (clean.includes('stop')) return false;
    if (clean.includes('run')) return !clean.includes('not ');
    if (clean.includes('start') && !clean.includes('not ')) return true;
    if (['could not access pid file', 'is dead and pid file exists', 'dead but subsys locked', 'dead but pid file exists'].some((s) => clean.includes(s))) return false;
  }
  if (rc === 0) return true;
  return undefined;
}

/** A process whose `ps auxww` line contains `pattern` (the `pattern` option). */
export async function patternRunning(target: Target, pattern: string): Promise<boolean> {
  const result = await target.run(['ps', 'auxww']);
  if (result.rc !== 0) return false;
  return result.stdout.split('\n').some((line) => line.includes(pattern) && !line.includes('pattern='));
}

/** Enabled at boot: an S link in some /etc/rc?.d (update-rc.d's view). */
export async function sysvEnabled(target: Target, name: string): Promise<{ enabled: boolean; hasKillLinks: boolean }> {
  const result = await target.sh(`s=0; k=0
for f in /etc/rc?.d/S??"$1"; do [ -e "$f" ] && s=1; done
for f in /etc/rc?.d/K??"$1"; do [ -e "$f" ] && k=1; done
echo "$s $k"`, [name]);
  const [s, k] = result.stdout.trim().split(' ');
  return { enabled: s === '1', hasKillLinks: k === '1' };
}

/** Enables or disables a SysV service with the tool the host has. Returns whether it changed. */
export async function sysvSetEnabled(target: Target, tools: SysvTools, name: string, enable: boolean, check: boolean): Promise<boolean> {
  if (!tools.enableTool) throw new ModuleFailure(`Could not find the requested service ${name}: host`);
  const tool = tools.enableTool;
  const run = async (argv: string[]) => {
    const r = await runDetached(target, argv);
    if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim() || r.stdout.trim());
  };
  if (tool.endsWith('update-rc.d')) {
    const state = await sysvEnabled(target, name);
    if (state.enabled === enable) return false;
    if (check) return true;
    if (enable && !state.hasKillLinks) await run([tool, name, 'defaults']);
    await run([tool, name, enable ? 'enable' : 'disable']);
    return true;
  }
  if (tool.endsWith('insserv')) {
    const dry = await runDetached(target, enable ? [tool, '-n', '-v', name] : [tool, '-n', '-r', '-v', name]);
    const changed = dry.stderr.split('\n').some((l) => l.includes(enable ? 'enable service' : 'remove service'));
    if (!changed || check) return changed;
    await run(enable ? [tool, name] : [tool, '-r', name]);
    return true;
  }
  const listed = await runDetached(target, [tool, '--list', name]);
  const action = enable ? 'on' : 'off';
  if (listed.stdout.includes(`3:${action}`) && listed.stdout.includes(`5:${action}`)) return false;
  if (check) return true;
  await run([tool, name, action]);
  return true;
}
