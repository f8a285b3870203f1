// timezone (community.general): the system time zone and the hardware clock's mode.
// With systemd, through timedatectl; otherwise as on Debian without systemd:
// /etc/timezone, the /etc/localtime link and `dpkg-reconfigure tzdata`. The result
// always carries the before/after diff, as Ansible's module returns it.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';

export interface TimezoneArgs {
  name?: string | null;
  hwclock?: 'local' | 'UTC' | null;
}

type Values = { name?: string; hwclock?: string };

async function systemdValues(target: Target): Promise<Values> {
  const status = await target.run(['timedatectl', 'status'], { env: { LANG: 'C', LC_ALL: 'C' } });
  if (status.rc !== 0) throw new ModuleFailure(`failed to get the timezone: ${status.stderr.trim()}`);
  const name = /^\s*Time ?zone\s*:\s*(\S+)/m.exec(status.stdout)?.[1] ?? 'n/a';
  const rtc = /^\s*RTC in local TZ\s*:\s*(\S+)/m.exec(status.stdout)?.[1] ?? 'no';
  return { name, hwclock: rtc === 'yes' ? 'local' : 'UTC' };
}

// Prints /etc/timezone's first word (or n/a), the /etc/localtime link's zone, and /etc/adjtime's mode.
const READ_SCRIPT = `if [ -f /etc/timezone ]; then t=$(grep -o -m1 '^[^[:space:]]*' /etc/timezone); echo "\${t:-n/a}"; else echo n/a; fi
if [ -L /etc/localtime ] && [ -e /etc/localtime ]; then readlink /etc/localtime | sed -n 's#.*/\\(usr/share\\|etc\\)/zoneinfo/##p'; else echo; fi
if [ -f /etc/adjtime ]; then grep -m1 -x 'UTC\\|LOCAL' /etc/adjtime || echo UTC; else echo UTC; fi`;

async function fileValues(target: Target, planned: Values): Promise<Values> {
  const [zone = 'n/a', link = '', adjtime = 'UTC'] = (await target.sh(READ_SCRIPT)).stdout.split('\n');
  // /etc/timezone agreeing while /etc/localtime points elsewhere is not the planned state.
  const name = zone === planned.name && link && link !== planned.name ? link : zone;
  return { name, hwclock: adjtime === 'LOCAL' ? 'local' : 'UTC' };
}

/** The module's abort(): the error, then what it did so far. */
function abort(message: string, done: string[]): ModuleFailure {
  const lines = ['Error message:', message];
  if (done.length) lines.push('Other message(s):', ...done);
  return new ModuleFailure(lines.join('\n'));
}

export async function runTimezone(args: TimezoneArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const planned: Values = {};
  if (args.name) planned.name = args.name;
  if (args.hwclock) planned.hwclock = args.hwclock;
  if (planned.name && (await target.sh('[ -f "/usr/share/zoneinfo/$1" ]', [planned.name])).rc !== 0) {
    throw abort(`given timezone "${planned.name}" is not available`, []);
  }
  // Like Ansible: timedatectl whenever it answers, else the files.
  const systemd = (await target.sh('command -v timedatectl >/dev/null 2>&1 && timedatectl >/dev/null 2>&1')).rc === 0;
  const read = async () => {
    const all = systemd ? await systemdValues(target) : await fileValues(target, planned);
    return Object.fromEntries(Object.keys(planned).map((k) => [k, all[k as keyof Values]])) as Values;
  };
  const before = await read();
  const msg: string[] = [];
  if (!ctx.checkMode) {
    const timedatectl = systemd ? (await target.sh('command -v timedatectl')).stdout.trim() : '';
    const run = async (argv: string[]) => {
      const r = await target.run(argv);
      if (r.rc !== 0) throw abort(`${argv.join(' ')} failed: ${r.stderr.trim() || r.stdout.trim()}`, msg);
      msg.push(`executed \`${argv.join(' ')}\``);
    };
    // The module's own order: hwclock, then name.
    if (planned.hwclock && before.hwclock !== planned.hwclock) {
      if (systemd) await run([timedatectl, 'set-local-rtc', planned.hwclock === 'local' ? 'yes' : 'no']);
      else await target.shOk('failed to set the hardware clock', 'hwclock --systohc "$1"', [planned.hwclock === 'local' ? '--localtime' : '--utc']);
    }
    if (planned.name && before.name !== planned.name) {
      if (systemd) await run([timedatectl, 'set-timezone', planned.name]);
      else {
        const replaced = await target.sh("[ -f /etc/timezone ] && grep -c '^[^[:space:]]' /etc/timezone || echo 0");
        await target.shOk('failed to set the timezone', `printf '%s\\n' "$1" > /etc/timezone
ln -sf "/usr/share/zoneinfo/$1" /etc/localtime
if command -v dpkg-reconfigure >/dev/null 2>&1; then DEBIAN_FRONTEND=noninteractive dpkg-reconfigure --frontend noninteractive tzdata >/dev/null; fi`, [planned.name]);
        msg.push(`Added 1 line and deleted ${Number(replaced.stdout.trim()) || 0} line(s) on /etc/timezone`);
      }
    }
  }
  const after = ctx.checkMode ? planned : await read();
  if (!ctx.checkMode && JSON.stringify(after) !== JSON.stringify(planned)) {
    throw abort(`still not desired state, though changes have made - planned: ${JSON.stringify(planned)}, after: ${JSON.stringify(after)}`, msg);
  }
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  return { changed, diff: { before, after } as never, ...(msg.length ? { msg: msg.join('\n') } : {}) };
}

export const timezoneModule: ModuleDefinition<TimezoneArgs> = {
  name: 'community.general.timezone',
  aliases: ['community.general.system.timezone'],
  argSpec: { hwclock: { type: 'str', choices: ['local', 'UTC'], aliases: ['rtc'] }, name: { type: 'str' } },
  constraints: { requiredOneOf: [['hwclock', 'name']] },
  supportsCheckMode: true,
  run: runTimezone,
};
