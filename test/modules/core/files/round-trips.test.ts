// How many commands (round trips over SSH) the file modules make for common tasks, on a
// connection that takes the remote paths: what keeps tsplay fast over SSH. Each module
// run remembers what it learnt about paths, batches its questions into one script and
// has its changes describe the paths they touched.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyModule } from '../../../../src/modules/core/files/copy.js';
import { fileModule } from '../../../../src/modules/core/files/file.js';
import { statModule } from '../../../../src/modules/core/files/stat.js';
import { templateModule } from '../../../../src/modules/core/files/template.js';
import type { ModuleDefinition } from '../../../../src/modules/module.js';
import { runModule, tempDir, testContext } from '../../helpers.js';
import { ScriptedConnection } from '../../scripted-connection.js';

const { dir, cleanup } = tempDir('tsplay-round-trips-');
afterAll(cleanup);
const play = join(dir, 'play');
mkdirSync(join(play, 'templates'), { recursive: true });
mkdirSync(join(play, 'files'), { recursive: true });
writeFileSync(join(play, 'templates', 'app.ini.j2'), 'name = {{ inventory_hostname }}\n');
writeFileSync(join(play, 'files', 'app.conf'), 'setting = value\n'.repeat(64));

/** Runs the module; returns the commands it ran and its result. */
async function commandsOf(module: ModuleDefinition<never>, args: Record<string, unknown>) {
  const connection = new ScriptedConnection('localhost');
  const ctx = testContext({ connection, searchPath: [play], vars: { inventory_hostname: 'node1' } });
  const result = await runModule(module, args, ctx);
  expect(result.failed, JSON.stringify(result)).toBeUndefined();
  return { commands: connection.commands, result };
}

describe('round trips per file task on a remote connection', () => {
  const srv = join(dir, 'srv');

  it('file: a new directory in 2, an existing one in 1', async () => {
    expect((await commandsOf(fileModule, { path: srv, state: 'directory', mode: '0755' })).commands).toBe(2);
    expect((await commandsOf(fileModule, { path: srv, state: 'directory', mode: '0755' })).commands).toBe(1);
  });

  it('copy: a new file in 2 (mode included), the same file again in 1', async () => {
    const args = { src: 'app.conf', dest: join(srv, 'app.conf'), mode: '0640' };
    const first = await commandsOf(copyModule, args);
    expect(first.commands).toBe(2);
    expect(first.result).toMatchObject({ changed: true, mode: '0640', size: 1024 });
    expect(await commandsOf(copyModule, args)).toMatchObject({ commands: 1, result: { changed: false, mode: '0640' } });
    expect((await commandsOf(copyModule, { content: 'node1\n', dest: join(srv, 'name') })).commands).toBe(2);
  });

  it('template: a new file in 2, unchanged in 1, changed in 2', async () => {
    const args = { src: 'app.ini.j2', dest: join(srv, 'app.ini'), mode: '0600' };
    expect(await commandsOf(templateModule, args)).toMatchObject({ commands: 2, result: { changed: true, mode: '0600' } });
    expect(await commandsOf(templateModule, args)).toMatchObject({ commands: 1, result: { changed: false } });
    writeFileSync(join(srv, 'app.ini'), 'edited\n');
    expect(await commandsOf(templateModule, args)).toMatchObject({ commands: 2, result: { changed: true } });
  });

  it('file: a new link in 2, an existing one in 1; stat in 1', async () => {
    const args = { src: join(srv, 'app.ini'), dest: join(srv, 'current.ini'), state: 'link' };
    expect(await commandsOf(fileModule, args)).toMatchObject({ commands: 2, result: { changed: true, state: 'link' } });
    expect(await commandsOf(fileModule, args)).toMatchObject({ commands: 1, result: { changed: false } });
    expect((await commandsOf(statModule, { path: join(srv, 'current.ini'), follow: true })).commands).toBe(1);
  });
});
