// No secret reaches the run history or its views: vault values, no_log output (ok, failed,
// looped, ignored), -e secrets, the vault and become password files' contents. The
// database files are read as raw bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/history-store.js';
import { runCli, TSPLAY, TSPLAY_RUNS } from './report-helpers.js';

const SECRETS = {
  vaultValue: 'S3cr3t-Vault-Value-9071',
  vaultPassword: 'Vault-Password-Xyzzy-1',
  extraToken: 'S3cr3t-Extra-Token-7781',
  extraJsonKey: 'S3cr3t-Json-Key-4410',
  becomeFile: 'S3cr3t-Become-File-3310',
};

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars_files:
    - secrets.yml
  tasks:
    - name: use the database password
      command: "echo {{ db_password }}"
      no_log: true
    - name: show it, hidden
      debug:
        msg: "{{ db_password }} {{ api_token }}"
      no_log: true
    - name: fail with a secret, ignored
      shell: "echo {{ aws_secret_key }} >&2; exit 3"
      no_log: true
      ignore_errors: true
    - name: loop over secrets
      command: "echo {{ item }}"
      loop:
        - "{{ db_password }}"
        - "{{ api_token }}"
      no_log: true
    - name: a visible step
      debug:
        msg: "release {{ release }}"
    - name: refuse with a secret
      fail:
        msg: "cannot connect with {{ db_password }}"
      no_log: true
      when: inventory_hostname == 'web2'
`;

function findSecrets(text: string): string[] {
  return Object.values(SECRETS).filter((secret) => text.includes(secret));
}

describe('secrets stay out of the run history', () => {
  it('stores no vault value, no_log output, -e secret or password file content', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-history-secrets-'));
    writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inventory'), 'web1 ansible_connection=local\nweb2 ansible_connection=local\n');
    writeFileSync(join(dir, 'vault-pass.txt'), `${SECRETS.vaultPassword}\n`);
    writeFileSync(join(dir, 'become-pass.txt'), `${SECRETS.becomeFile}\n`);
    writeFileSync(join(dir, 'secrets.yml'), `db_password: ${SECRETS.vaultValue}\n`);
    const encrypt = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/tsplay-vault.js'), 'encrypt', '--vault-password-file', 'vault-pass.txt', 'secrets.yml'], { cwd: dir, encoding: 'utf8' });
    expect(encrypt.status, encrypt.stderr).toBe(0);
    expect(readFileSync(join(dir, 'secrets.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256/);

    const run = await runCli(TSPLAY, [
      '-i', 'inventory', 'playbook.yml',
      '--vault-password-file', 'vault-pass.txt',
      '--become-password-file', 'become-pass.txt',
      '-e', `api_token=${SECRETS.extraToken} release=v2`,
      '-e', JSON.stringify({ aws_secret_key: SECRETS.extraJsonKey, region: 'eu-west-1' }),
    ], dir);
    expect(run.code, run.stdout + run.stderr).toBe(2);

    const db = join(dir, '.tsplay/history.db');
    for (const file of [db, `${db}-wal`, `${db}-shm`]) {
      if (existsSync(file)) expect(findSecrets(readFileSync(file).toString('latin1')), file).toEqual([]);
    }
    const show = await runCli(TSPLAY_RUNS, ['show', 'last'], dir);
    const report = await runCli(TSPLAY_RUNS, ['report', 'last', '-o', '-'], dir);
    expect(show.code).toBe(0);
    expect(report.code).toBe(0);
    expect(findSecrets(show.stdout)).toEqual([]);
    expect(findSecrets(report.stdout)).toEqual([]);

    // The run itself is there, with its censored results and redacted arguments.
    const store = HistoryStore.openForReading(db);
    const detail = store.run(store.latestRunId()!)!;
    store.close();
    expect(detail.run.args).toContain('api_token=<redacted> release=v2');
    expect(detail.run.args).toContain('{"aws_secret_key":"<redacted>","region":"eu-west-1"}');
    expect(detail.tasks.map((t) => t.name)).toEqual([
      'use the database password', 'show it, hidden', 'fail with a secret, ignored', 'loop over secrets', 'a visible step', 'refuse with a secret',
    ]);
    const statuses = detail.results.map((r) => `${r.host}:${r.status}`);
    expect(statuses).toContain('web2:failed');
    expect(statuses.filter((s) => s.endsWith(':ignored'))).toHaveLength(2);
    const hidden = detail.results.filter((r) => r.taskSeq !== 4 && r.status !== 'skipped');
    expect(hidden.length).toBeGreaterThanOrEqual(9);
    for (const r of hidden) expect(JSON.stringify(r.result)).toContain('the output has been hidden');
    expect(detail.results.find((r) => r.taskSeq === 4)!.result).toMatchObject({ msg: 'release v2' });
    expect(show.stdout).toContain("web2: failed in refuse with a secret\n      the output has been hidden due to the fact that 'no_log: true' was specified for this result");
  });
});
