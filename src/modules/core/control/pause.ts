// pause: wait a number of seconds or minutes (timed pauses; no prompt without a TTY).
import type { ModuleDefinition } from '../../module.js';

interface PauseArgs {
  seconds?: number;
  minutes?: number;
  prompt?: string;
  echo: boolean;
}

function timestamp(date: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds() * 1000, 6)}`;
}

export const pauseModule: ModuleDefinition<PauseArgs> = {
  name: 'ansible.builtin.pause',
  argSpec: {
    seconds: { type: 'float' },
    minutes: { type: 'float' },
    prompt: { type: 'str' },
    echo: { type: 'bool', default: true },
  },
  constraints: { mutuallyExclusive: [['minutes', 'seconds']] },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  bypassHostLoop: true,
  async run(args, ctx) {
    const seconds = args.minutes !== undefined ? args.minutes * 60 : (args.seconds ?? 0);
    const start = new Date();
    if (args.minutes !== undefined) ctx.say(`Pausing for ${Math.trunc(seconds)} seconds`);
    else if (args.seconds !== undefined) ctx.say(`Pausing for ${Math.max(1, Math.trunc(seconds))} seconds`);
    ctx.say("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)");
    if (args.prompt) ctx.say(`[${(ctx.taskName ?? 'pause').trim()}]\n${args.prompt}:`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    const stop = new Date();
    const elapsed = Math.trunc((stop.getTime() - start.getTime()) / 1000);
    return {
      changed: false,
      rc: 0,
      stderr: '',
      stdout: `Paused for ${args.minutes !== undefined ? `${(seconds / 60).toFixed(2)} minutes` : `${elapsed} seconds`}`,
      start: timestamp(start),
      stop: timestamp(stop),
      delta: elapsed,
      user_input: '',
      echo: args.echo,
    };
  },
};
