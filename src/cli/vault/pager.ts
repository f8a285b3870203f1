// `view` output: through $PAGER (or less) on a terminal, as is otherwise.
import { spawn, spawnSync } from 'node:child_process';
import type { VaultOutput } from './output.js';

function lessAvailable(env: NodeJS.ProcessEnv): boolean {
  return spawnSync('sh', ['-c', 'less --version'], { stdio: 'ignore', env }).status === 0;
}

function pipeTo(command: string, text: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise) => {
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'inherit', 'inherit'], env: { ...env, LESS: env.LESS ?? 'FRSX' } });
    // A pager quit early closes its input; that is not an error.
    child.stdin.on('error', () => undefined);
    child.on('error', () => resolvePromise());
    child.on('close', () => resolvePromise());
    child.stdin.end(text);
  });
}

export async function page(text: string, output: VaultOutput, terminal: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  if (!terminal) return output.display(text);
  const pager = env.PAGER ?? (lessAvailable(env) ? 'less' : undefined);
  if (pager === undefined) return output.display(text);
  await pipeTo(pager, text, env);
}
