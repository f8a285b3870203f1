// slurp: a file's content from the target, base64-encoded.
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { Target } from './target.js';

// $1 path: prints the errno name when the file cannot be read (Python's open() failures).
const CHECK_SCRIPT = `if [ ! -e "$1" ]; then echo ENOENT; elif [ -d "$1" ]; then echo EISDIR; elif [ ! -r "$1" ]; then echo EACCES; fi`;

export const slurpModule: ModuleDefinition<{ src: string }> = {
  name: 'ansible.builtin.slurp',
  argSpec: { src: { type: 'path', required: true, aliases: ['path'] } },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    const source = await target.expandPath(args.src);
    let data: Buffer;
    try {
      data = await target.readFile(source);
    } catch (error) {
      const reason = (await target.sh(CHECK_SCRIPT, [source])).stdout.trim();
      if (reason === 'ENOENT') throw new ModuleFailure(`file not found: ${source}`);
      if (reason === 'EACCES') throw new ModuleFailure(`file is not readable: ${source}`);
      if (reason === 'EISDIR') throw new ModuleFailure(`source is a directory and must be a file: ${source}`);
      throw new ModuleFailure(`unable to slurp file: ${(error as Error).message}`);
    }
    return { changed: false, content: data.toString('base64'), source, encoding: 'base64' };
  },
};
