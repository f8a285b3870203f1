// Runs the plays of a playbook in order and reports the recap; the exit code follows
// ansible-playbook: 4 when a host was unreachable, 2 when one failed, else 0.
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { EXIT } from '../errors.js';
import type { LoadOptions } from '../playbook/loader/load-context.js';
import type { Play } from '../playbook/play.js';
import type { RoleDefinition } from '../playbook/role.js';
import { runPlay } from './play-executor.js';
import type { RunContext } from './run-context.js';

export interface PlaybookRun {
  file: string;
  plays: Play[];
  roleDefinitions: Map<string, RoleDefinition>;
}

/** Failed and unreachable hosts stay so for the rest of the run, so the last play's result reflects them all. */
function exitCodeOf(run: RunContext): number {
  if (run.unreachableHosts.size > 0) return EXIT.HOST_UNREACHABLE;
  if (run.failedHosts.size > 0) return EXIT.HOST_FAILED;
  return EXIT.OK;
}

function writeRetryFile(run: RunContext, playbookFile: string): void {
  const hosts = [...new Set([...run.failedHosts, ...run.unreachableHosts])].sort();
  if (hosts.length === 0) return;
  const dir = run.options.retryFilesSavePath ?? dirname(resolve(playbookFile));
  const file = join(dir, `${basename(playbookFile, extname(playbookFile))}.retry`);
  try {
    writeFileSync(file, `${hosts.join('\n')}\n`);
    run.display.display(`\tto retry, use: --limit @${file}\n`);
  } catch (error) {
    run.display.warning(`Could not create retry file '${file}'.\n\t${String((error as Error).message)}`);
  }
}

/** Run one playbook file; returns its exit code. */
export async function runPlaybook(playbook: PlaybookRun, run: RunContext, loadOptions: LoadOptions): Promise<number> {
  run.callbacks.playbookStart(playbook.file, run.options.checkMode);
  for (const play of playbook.plays) {
    if (run.signal.aborted) break;
    const result = await runPlay(play, run, loadOptions, playbook.roleDefinitions);
    if (result.breakPlaybook) break;
  }
  if (run.options.retryFilesEnabled) writeRetryFile(run, playbook.file);
  run.callbacks.stats(run.stats, run.options.checkMode);
  return exitCodeOf(run);
}
