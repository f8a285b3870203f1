// systemctl on the target: a unit's properties (`systemctl show`), whether it is enabled,
// and the control verbs, for the service and systemd modules.
import type { Target } from '../files/target.js';

/** `systemctl show` output as a dict; `{ ... }` values may span lines (Exec* properties). */
export function parseSystemctlShow(text: string): Record<string, string> {
  const parsed: Record<string, string> = {};
  let multiKey: string | undefined;
  let multiValue: string[] = [];
  for (const line of text.split('\n')) {
    if (multiKey !== undefined) {
      multiValue.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed[multiKey] = multiValue.join('\n').trim();
        multiKey = undefined;
        multiValue = [];
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key.startsWith('Exec') && value.trimStart().startsWith('{') && !value.trimEnd().endsWith('}')) {
      multiKey = key;
      multiValue = [value];
    } else parsed[key] = value.trim();
  }
  return parsed;
}

export const isRunningService = (status: Record<string, string>) => ['active', 'activating'].includes(status.ActiveState ?? '');
export const isDeactivatingService = (status: Record<string, string>) => status.ActiveState === 'deactivating';

export class Systemctl {
  constructor(
    readonly target: Target,
    /** systemctl and its global flags (--user, --no-block, --force). */
    readonly command: string[] = ['systemctl'],
  ) {}

  run(...args: string[]) {
    return this.target.run([...this.command, ...args], { env: { LANG: 'C', LC_ALL: 'C' } });
  }

  async show(unit: string): Promise<{ rc: number; status: Record<string, string>; stdout: string; stderr: string }> {
    const result = await this.run('show', unit);
    return { rc: result.rc, status: result.rc === 0 ? parseSystemctlShow(result.stdout) : {}, stdout: result.stdout, stderr: result.stderr };
  }

  async isEnabled(unit: string): Promise<{ rc: number; out: string }> {
    const result = await this.run('is-enabled', unit, '-l');
    return { rc: result.rc, out: result.stdout };
  }
}
