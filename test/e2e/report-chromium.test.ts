// The HTML report of a failed multi-host run, opened in headless Chromium: it renders, shows
// the failing host and its message, has one timeline row per host, loads nothing from the
// network, and a screenshot is kept in test-artifacts/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable, runCli, TSPLAY, TSPLAY_RUNS } from './report-helpers.js';

const HOSTS = ['web1', 'web2', 'web3', 'web4', 'db1'];

const PLAYBOOK = `
- name: deploy the app
  hosts: all
  gather_facts: false
  tasks:
    - name: prepare
      command: "sleep 0.{{ groups['all'].index(inventory_hostname) + 1 }}"
    - name: migrate the database
      fail:
        msg: "migration 0042 failed: relation \\"orders\\" already exists"
      when: inventory_hostname == 'db1'
    - name: shift traffic to green
      set_fact:
        bluegreen:
          weights: { blue: "{{ 100 - (groups['all'].index(inventory_hostname) + 1) * 20 }}", green: "{{ (groups['all'].index(inventory_hostname) + 1) * 20 }}" }
          error_rate: "{{ (groups['all'].index(inventory_hostname) + 1) / 1000 }}"
    - name: check the service
      command: "true"
`;

describe.skipIf(!chromiumAvailable())('HTML report in headless Chromium', () => {
  it('shows the recap, the failure and one timeline row per host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-report-'));
    writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inventory'), HOSTS.map((h) => `${h} ansible_connection=local`).join('\n') + '\n');
    const run = await runCli(TSPLAY, ['-i', 'inventory', 'playbook.yml'], dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain('fatal: [db1]: FAILED!');

    const report = await runCli(TSPLAY_RUNS, ['report', 'last', '-o', 'report.html'], dir);
    expect(report.code, report.stderr).toBe(0);
    const file = join(dir, 'report.html');
    expect(readFileSync(file, 'utf8')).toContain('migration 0042 failed');

    const profile = mkdtempSync(join(tmpdir(), 'tsplay-chromium-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless'),
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const url = pathToFileURL(file).href;
      await page.goto(url);

      expect(await page.title()).toBe('Run #1: playbook.yml');
      expect(await page.locator('#run-status').textContent()).toBe('failed');
      const failure = page.locator('#failures .failure');
      expect(await failure.count()).toBe(1);
      expect(await failure.locator('.where').textContent()).toContain('db1');
      expect(await failure.locator('pre').textContent()).toBe('migration 0042 failed: relation "orders" already exists');
      expect(await failure.isVisible()).toBe(true);
      expect(await page.locator('#recap tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host')))).toEqual([...HOSTS].sort());

      const rows = page.locator('#timeline-svg g.timeline-row');
      expect(await rows.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-host')))).toEqual([...HOSTS].sort());
      for (const host of HOSTS) {
        const row = page.locator(`#timeline-svg g.timeline-row[data-host="${host}"]`);
        const box = await row.boundingBox();
        expect(box && box.width > 100 && box.height > 10, `row of ${host} is drawn`).toBe(true);
        expect(await row.locator('rect.bar').count()).toBe(host === 'db1' ? 2 : 4);
      }
      expect(await page.locator('g.timeline-row.has-failure').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-host')))).toEqual(['db1']);

      // The page's script: a click on db1's failed bar shows its message.
      await page.locator('g.timeline-row[data-host="db1"] rect.bar.s-failed').click();
      expect(await page.locator('#detail').textContent()).toContain('migration 0042 failed');

      // Blue-green samples from set_fact, charted.
      expect(await page.locator('#bluegreen-svg path.weight-line').count()).toBe(2);
      expect(await page.locator('#bluegreen-svg path.error-rate-line').count()).toBe(1);

      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);

      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'report-failed-run.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
