// Property test: hostile file names and arguments (quotes, $(), backticks, newlines,
// leading dashes, globs, semicolons, backslashes, non-ASCII) given to file, copy,
// lineinfile, command and shell. Every operation must act on exactly the intended path
// or pass the argument through unchanged, and nothing outside the sandbox may change
// (every hostile string also tries to create a marker file if it were ever run).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../../src/connection/shell-quote.js';
import { commandModule, shellModule } from '../../../src/modules/core/commands/command.js';
import { copyModule } from '../../../src/modules/core/files/copy.js';
import { fileModule } from '../../../src/modules/core/files/file.js';
import { lineinfileModule } from '../../../src/modules/core/files/lineinfile.js';
import { runModule, testContext } from '../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'tsplay-hostile-'));
const outside = join(root, 'outside');
const marker = join(root, 'PWNED');
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(outside);
writeFileSync(join(outside, 'keep.txt'), 'untouched\n');

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that would do something if a shell or a glob ever saw them.
const PIECES = [
  `$(touch ${marker})`,
  `\`touch ${marker}\``,
  `; touch ${marker}`,
  `&& touch ${marker} #`,
  `| touch ${marker}`,
  `'; touch ${marker}; '`,
  `"; touch ${marker}; "`,
  `\n touch ${marker}\n`,
  '-rf',
  '--help',
  '-n',
  '*',
  '?',
  '[a-z]',
  '~',
  '$HOME',
  '${PATH}',
  '\\',
  '\\n',
  "'",
  '"',
  ' ',
  '  ',
  '\t',
  '%s',
  '{{ x }}',
  'é',
  '日本',
  '#',
  '!',
  '>',
  '<',
  '..',
  '=',
  'plain',
];

// Path options expand $VARS and a leading ~ on the target, as Ansible's `path` type does:
// file names leave those out, so the intended path is the literal one.
const EXPANDING = new Set(['~', '$HOME', '${PATH}']);

function hostile(random: () => number, allowSlash: boolean): string {
  const count = 1 + Math.floor(random() * 4);
  let out = '';
  for (let i = 0; i < count; i++) {
    const piece = PIECES[Math.floor(random() * PIECES.length)]!;
    out += !allowSlash && EXPANDING.has(piece) ? 'tilde-or-var' : piece;
  }
  if (!allowSlash) out = out.replace(/\//g, '_');
  // A file name cannot be empty, "." or "..".
  if (!allowSlash && (out === '' || out === '.' || out === '..')) out = `x${out}`;
  return out;
}

/** What the command module's argv expansion makes of an argument (os.path.expandvars, then expanduser). */
function expanded(arg: string): string {
  const vars = arg.replace(/\$(\w+|\{[^}]*\})/g, (whole, ref: string) => {
    const name = ref.startsWith('{') ? ref.slice(1, -1) : ref;
    return process.env[name] ?? whole;
  });
  if (!vars.startsWith('~')) return vars;
  const slash = vars.indexOf('/');
  const user = slash === -1 ? vars : vars.slice(0, slash);
  return user === '~' ? process.env.HOME!.replace(/\/+$/, '') + vars.slice(1) : vars;
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i);

describe('hostile names and arguments', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const random = prng(seed);
      const sandbox = mkdtempSync(join(root, 'sandbox-'));
      const outsideBefore = listing(outside);
      const rootBefore = readdirSync(root).filter((n) => !n.startsWith('sandbox-')).sort();
      const ctx = testContext({ environment: { HOSTILE: hostile(random, true) } });

      // file: a directory, a file in it, a link to it, then removal of the link.
      const dirName = hostile(random, false);
      const fileName = hostile(random, false);
      const linkName = hostile(random, false);
      const dir = join(sandbox, dirName);
      const file = join(dir, fileName);
      const made = await runModule(fileModule, { path: dir, state: 'directory' }, ctx);
      expect(made.failed, String(made.msg)).toBeUndefined();
      const touched = await runModule(fileModule, { path: file, state: 'touch' }, ctx);
      expect(touched.failed, String(touched.msg)).toBeUndefined();
      expect(readdirSync(dir)).toEqual([fileName]);
      const link = join(sandbox, linkName);
      if (linkName !== dirName) {
        const linked = await runModule(fileModule, { path: link, src: dirName, state: 'link' }, ctx);
        expect(linked.failed, String(linked.msg)).toBeUndefined();
        expect(readdirSync(sandbox).sort()).toEqual([dirName, linkName].sort());
        expect((await runModule(fileModule, { path: link, state: 'absent' }, ctx)).failed).toBeUndefined();
      }

      // copy: hostile content to a hostile name.
      const content = hostile(random, true);
      const copyName = hostile(random, false);
      const copied = await runModule(copyModule, { content, dest: join(sandbox, copyName), mode: '0600' }, ctx);
      expect(copied.failed, String(copied.msg)).toBeUndefined();
      expect(readFileSync(join(sandbox, copyName), 'utf8')).toBe(content);

      // lineinfile: a hostile line (no newline inside: a line is one line) in a hostile file.
      const line = hostile(random, true).replace(/[\r\n]/g, ' ');
      const lineFile = join(dir, `${fileName}.conf`);
      const edited = await runModule(lineinfileModule, { path: lineFile, line, create: true }, ctx);
      expect(edited.failed, String(edited.msg)).toBeUndefined();
      expect(readFileSync(lineFile, 'utf8')).toBe(`${line}\n`);
      expect((await runModule(lineinfileModule, { path: lineFile, line, create: true }, ctx)).changed).toBe(false);

      // command: hostile arguments, given as argv and as a shell-quoted line.
      const args = [hostile(random, true), hostile(random, true), hostile(random, true)];
      const viaArgv = await runModule(commandModule, { argv: ['printf', '%s\\0', ...args] }, ctx);
      // Like Ansible's, the command module expands $VARS and ~ in each argument, nothing else.
      expect(viaArgv.stdout).toBe(`${args.map(expanded).join('\0')}\0`);
      const quoted = args.map(shellQuote).join(' ');
      const viaLine = await runModule(commandModule, { _raw_params: `printf '%s\\0' ${quoted}` }, ctx);
      expect(viaLine.stdout).toBe(viaArgv.stdout);

      // shell: the quoted words reach the program unchanged.
      const viaShell = await runModule(shellModule, { _raw_params: `printf '%s\\0' ${quoted}`, chdir: dir }, ctx);
      expect(viaShell.stdout).toBe(`${args.join('\0')}\0`);

      // Nothing ran, nothing outside the sandbox changed.
      expect(existsSync(marker), `seed ${seed}: a hostile string was executed`).toBe(false);
      expect(listing(outside)).toEqual(outsideBefore);
      expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('untouched\n');
      expect(readdirSync(root).filter((n) => !n.startsWith('sandbox-')).sort()).toEqual(rootBefore);

      // Removing the directory removes exactly it.
      expect((await runModule(fileModule, { path: dir, state: 'absent' }, ctx)).changed).toBe(true);
      expect(readdirSync(sandbox)).toEqual([copyName]);
    });
  }
});
