// Where the run history lives and whether runs are recorded:
//   TSPLAY_NO_HISTORY=1               no recording (the differential tests set it)
//   ansible.cfg [tsplay] history = False   no recording
//   TSPLAY_HISTORY_DB=path            the database file (relative to the current directory)
//   ansible.cfg [tsplay] history_db = path (relative to the ansible.cfg's folder)
//   default: .tsplay/history.db in the current directory (the project's folder)
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { toBoolean } from '../config/index.js';

export const DEFAULT_HISTORY_DB = '.tsplay/history.db';

export interface HistorySettings {
  enabled: boolean;
  path: string;
}

export function historySettings(config: Config | undefined, env: NodeJS.ProcessEnv, cwd: string): HistorySettings {
  const optOut = env.TSPLAY_NO_HISTORY;
  const iniEnabled = config?.iniValue('tsplay', 'history');
  const enabled = !(optOut !== undefined && optOut !== '' && optOut !== '0' && optOut.toLowerCase() !== 'false') && (iniEnabled === undefined || toBoolean(iniEnabled));
  const iniPath = config?.iniValue('tsplay', 'history_db');
  const path = env.TSPLAY_HISTORY_DB
    ? resolve(cwd, env.TSPLAY_HISTORY_DB)
    : iniPath && config?.file
      ? resolve(dirname(config.file), iniPath)
      : resolve(cwd, DEFAULT_HISTORY_DB);
  return { enabled, path };
}
