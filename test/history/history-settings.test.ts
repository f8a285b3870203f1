import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { historySettings } from '../../src/history/history-settings.js';

function configIn(text: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-hist-cfg-'));
  if (text === undefined) return { dir, config: loadConfig({ env: { ANSIBLE_CONFIG: join(dir, 'none.cfg') }, cwd: dir, home: dir }) };
  writeFileSync(join(dir, 'ansible.cfg'), text);
  return { dir, config: loadConfig({ env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, cwd: dir, home: dir }) };
}

describe('historySettings', () => {
  it('records by default into .tsplay/history.db of the current directory', () => {
    const { config } = configIn('[defaults]\n');
    expect(historySettings(config, {}, '/work/project')).toEqual({ enabled: true, path: '/work/project/.tsplay/history.db' });
  });

  it('turns off with TSPLAY_NO_HISTORY or [tsplay] history = False', () => {
    const { config } = configIn('[defaults]\n');
    expect(historySettings(config, { TSPLAY_NO_HISTORY: '1' }, '/p').enabled).toBe(false);
    expect(historySettings(config, { TSPLAY_NO_HISTORY: 'yes' }, '/p').enabled).toBe(false);
    expect(historySettings(config, { TSPLAY_NO_HISTORY: '0' }, '/p').enabled).toBe(true);
    expect(historySettings(config, { TSPLAY_NO_HISTORY: '' }, '/p').enabled).toBe(true);
    expect(historySettings(configIn('[tsplay]\nhistory = False\n').config, {}, '/p').enabled).toBe(false);
    expect(historySettings(configIn('[tsplay]\nhistory = no\n').config, {}, '/p').enabled).toBe(false);
    expect(historySettings(configIn('[tsplay]\nhistory = yes\n').config, {}, '/p').enabled).toBe(true);
  });

  it('takes the database path from TSPLAY_HISTORY_DB or [tsplay] history_db (relative to ansible.cfg)', () => {
    const { dir, config } = configIn('[tsplay]\nhistory_db = runs/h.db\n');
    expect(historySettings(config, {}, '/elsewhere').path).toBe(join(dir, 'runs/h.db'));
    expect(historySettings(config, { TSPLAY_HISTORY_DB: 'x/y.db' }, '/elsewhere').path).toBe('/elsewhere/x/y.db');
    expect(historySettings(configIn(undefined).config, {}, '/q').path).toBe('/q/.tsplay/history.db');
  });
});
