// The aggregate timing callbacks Ansible users enable in ansible.cfg
// (`callbacks_enabled = profile_tasks, timer`, plain or as ansible.posix.*), and tsplay's
// `--profile`, which prints both callbacks' output after the recap but leaves the task log
// as it is (no timestamp line under each banner). They run after the stdout callback, in
// the listed order.
import type { Config } from '../../config/index.js';
import { TsplayError } from '../../errors.js';
import type { Display } from '../display.js';
import type { OutputCallback } from '../events.js';
import { ProfileTasksCallback, type ProfileSortOrder } from './profile-tasks-callback.js';
import { TimerCallback } from './timer-callback.js';

export { ProfileTasksCallback, type ProfileTasksOptions, type ProfileSortOrder } from './profile-tasks-callback.js';
export { TimerCallback } from './timer-callback.js';

type TimingCallbackName = 'profile_tasks' | 'timer';

function shortName(name: string): TimingCallbackName | undefined {
  const short = name.trim().replace(/^ansible\.posix\./, '');
  return short === 'profile_tasks' || short === 'timer' ? short : undefined;
}

function outputLimit(raw: unknown): number | undefined {
  if (raw === null || raw === undefined || raw === 'all') return undefined;
  const text = String(raw).trim();
  if (!/^[+-]?\d+$/.test(text)) {
    throw new TsplayError(`Invalid value "${text}" for the profile_tasks option output_limit: a number of tasks or "all"`);
  }
  return Number(text);
}

export function createTimingCallbacks(config: Config, display: Display, options: { profile: boolean }): OutputCallback[] {
  const names: TimingCallbackName[] = [];
  for (const name of config.callbacksEnabled) {
    const known = shortName(String(name));
    if (known && !names.includes(known)) names.push(known);
  }
  const fromConfig = new Set(names);
  if (options.profile) for (const name of ['profile_tasks', 'timer'] as const) if (!names.includes(name)) names.push(name);
  return names.map((name) => {
    if (name === 'timer') return new TimerCallback(display);
    return new ProfileTasksCallback(display, {
      outputLimit: outputLimit(config.pluginOption('callback', 'profile_tasks', 'output_limit').value),
      sortOrder: String(config.pluginOption('callback', 'profile_tasks', 'sort_order').value) as ProfileSortOrder,
      summaryOnly: !fromConfig.has('profile_tasks'),
    });
  });
}
