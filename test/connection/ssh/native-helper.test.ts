// The worker's file helper (native-helper.ts), run here as a worker runs on a host: the
// helper's perl and a real /bin/sh on local files. What our scripts' stat, mv, mkdir and
// ln print and do must be what the programs print and do; with no program on the PATH,
// only the helper can have answered.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chownSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, linkSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER, nativeFds, nativeInit, NATIVE_OVERRIDES, workerStart } from '../../../src/connection/ssh/native-helper.js';
import { commandBody } from '../../../src/connection/ssh/command-body.js';
import { shellQuote } from '../../../src/connection/shell-quote.js';

const READY = 'TSPLAY-READY-test';

class Worker {
  private out = Buffer.alloc(0);
  private frame = 0;
  readonly native: boolean;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    rest: string,
  ) {
    const fds = nativeFds(rest);
    this.native = fds !== undefined;
    if (fds) child.stdin.write(nativeInit(fds));
  }

  static async start(env: NodeJS.ProcessEnv = process.env): Promise<Worker> {
    const child = spawn('/bin/sh', ['-c', workerStart(READY)], { env });
    let text = '';
    const rest = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        text += chunk.toString('latin1');
        const at = text.indexOf(READY);
        if (at >= 0 && text.indexOf('\n', at) >= 0) {
          child.stdout.off('data', onData);
          resolve(text.slice(at + READY.length));
        }
      };
      child.stdout.on('data', onData);
      child.on('error', reject);
    });
    const worker = new Worker(child, rest);
    child.stdout.on('data', (chunk: Buffer) => (worker.out = Buffer.concat([worker.out, chunk])));
    return worker;
  }

  /** Runs one of our scripts as a frame does (a subshell with the overrides); its stdout and exit code. */
  async script(body: string, args: readonly string[] = []): Promise<{ stdout: string; rc: number }> {
    const id = ++this.frame;
    const end = `\x1eEND${id} `;
    this.child.stdin.write(`(tsplay_frame=${id}\n${NATIVE_OVERRIDES}\nset -- ${args.map(shellQuote).join(' ')}\n${body}\n) </dev/null 2>&1; printf '\\036END${id} %s\\n' "$?"\n`);
    for (;;) {
      const text = this.out.toString('latin1');
      const at = text.indexOf(end);
      const stop = at < 0 ? -1 : text.indexOf('\n', at);
      if (stop >= 0) {
        this.out = Buffer.from(this.out.subarray(Buffer.byteLength(text.slice(0, stop + 1), 'latin1')));
        return { stdout: Buffer.from(text.slice(0, at), 'latin1').toString('utf8'), rc: Number(text.slice(at + end.length, stop)) };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.child.stdin.end();
  }
}

const STAT_FORMAT = '%f|%u|%g|%s|%.9X|%.9Y|%.9Z|%i|%d|%h|%U|%G';
const NO_PROGRAMS = 'PATH=/nonexistent';

let dir: string;
let worker: Worker;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-native-'));
  worker = await Worker.start();
});

afterAll(() => {
  worker.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the file helper', () => {
  it('starts beside the worker shell where perl can call statx, and its program compiles', () => {
    expect(worker.native).toBe(true);
    const check = spawnSync('perl', ['-c', '-e', HELPER]);
    expect(check.stderr.toString()).toContain('-e syntax OK');
  });

  it('leaves a plain shell where there is no perl', async () => {
    const plain = await Worker.start({ ...process.env, PATH: '/nonexistent' });
    expect(plain.native).toBe(false);
    expect(await plain.script('echo "${tsplay_native-unset}"; PATH=/usr/bin:/bin; stat -c %F /')).toEqual({ stdout: 'unset\ndirectory\n', rc: 0 });
    plain.close();
  });

  it('prints what stat prints, for every kind of file and format our scripts use', async () => {
    const file = join(dir, 'a file\nwith “unicode” and | bars');
    writeFileSync(file, 'content\n');
    mkdirSync(join(dir, 'sub'));
    symlinkSync(file, join(dir, 'link'));
    symlinkSync('dangling target', join(dir, 'dangling'));
    const orphan = join(dir, 'orphan');
    writeFileSync(orphan, '');
    chownSync(orphan, 54321, 54321);
    const paths = [file, join(dir, 'sub'), join(dir, 'link'), join(dir, 'dangling'), orphan, '/dev/null', '/'];
    const forms = [
      ['--printf', `${STAT_FORMAT}\\n%N`],
      ['-L', '--printf', STAT_FORMAT],
      ['-c', STAT_FORMAT],
      ['-L', '-c', '%f %u %g %s %i %d %h %b %o %t %T %.9X %.9Y %.9Z'],
      ['--printf', '%f %u %g %s %i %d %h %b %o %t %T %.9X %.9Y %.9Z\\0%U\\0%G\\0%%%n\\t\\101'],
    ];
    // Reading a link (%N) would set its atime, which is then older than its ctime (relatime).
    const later = Date.now() / 1000 + 3600;
    for (const link of ['link', 'dangling']) lutimesSync(join(dir, link), later, 1_000_000_000);
    for (const path of paths) {
      for (const form of forms) {
        const args = [...form, '--', path];
        const program = await worker.script('QUOTING_STYLE=literal command stat "$@"', args);
        // What succeeds the helper answers alone; a failure is the program's to report.
        const helper = await worker.script(`QUOTING_STYLE=literal; ${program.rc === 0 ? NO_PROGRAMS : ':'}; stat "$@"`, args);
        expect(helper, `stat ${args.join(' ')}`).toEqual(program);
      }
    }
  });

  it('leaves to stat what it does not know, and errors', async () => {
    const missing = await worker.script('stat -c %s -- "$1"', [join(dir, 'missing')]);
    expect(missing.rc).toBe(1);
    expect(missing.stdout).toContain('No such file or directory');
    // %N outside the literal quoting style, and formats the helper does not interpret.
    expect(await worker.script('stat --printf %N -- /')).toEqual({ stdout: "'/'", rc: 0 });
    expect(await worker.script('stat -c %F -- /')).toEqual({ stdout: 'directory\n', rc: 0 });
    expect(await worker.script('stat -c %-5s -- /dev/null')).toEqual({ stdout: '0    \n', rc: 0 });
    // Only when stdout is the worker's: a substitution gets the program's answer.
    expect((await worker.script(`${NO_PROGRAMS}; x=$(stat -c %h -- / 2>&1); echo "[$x]"`)).stdout).toMatch(/^\[.*stat: not found\]\n$/);
  });

  it('renames as mv -f does, and leaves mv the moves that are more than a rename', async () => {
    writeFileSync(join(dir, 'from'), 'new');
    writeFileSync(join(dir, 'to'), 'old');
    expect(await worker.script(`${NO_PROGRAMS}; mv -f -- "$1" "$2"`, [join(dir, 'from'), join(dir, 'to')])).toEqual({ stdout: '', rc: 0 });
    expect(readdirSync(dir)).not.toContain('from');
    // Into a directory (and one behind a link): mv moves it inside.
    mkdirSync(join(dir, 'into'));
    symlinkSync(join(dir, 'into'), join(dir, 'into-link'));
    expect((await worker.script('mv -f -- "$1" "$2"', [join(dir, 'to'), join(dir, 'into-link')])).rc).toBe(0);
    expect(readdirSync(join(dir, 'into'))).toEqual(['to']);
    expect(lstatSync(join(dir, 'into-link')).isSymbolicLink()).toBe(true);
    // The same file under two names: mv refuses, with its own words.
    linkSync(join(dir, 'into/to'), join(dir, 'hard'));
    const same = await worker.script('mv -f -- "$1" "$2"', [join(dir, 'hard'), join(dir, 'into/to')]);
    expect(same.rc).toBe(1);
    expect(same.stdout).toMatch(/are the same file/);
    // Across filesystems rename fails; mv copies.
    writeFileSync('/dev/shm/tsplay-native-cross', 'x');
    expect((await worker.script('mv -f -- "$1" "$2"', ['/dev/shm/tsplay-native-cross', join(dir, 'crossed')])).rc).toBe(0);
    expect(readdirSync(dir)).toContain('crossed');
  });

  it('makes directories with the caller umask, as mkdir and mkdir -p do', async () => {
    expect(await worker.script(`umask 027; ${NO_PROGRAMS}; mkdir -- "$1" && mkdir -p -- "$2"`, [join(dir, 'made'), join(dir, 'deep/er/est')])).toEqual({ stdout: '', rc: 0 });
    expect(statSync(join(dir, 'made')).mode & 0o777).toBe(0o750);
    expect(statSync(join(dir, 'deep/er')).mode & 0o777).toBe(0o750);
    expect(statSync(join(dir, 'deep/er/est')).mode & 0o777).toBe(0o750);
    expect(await worker.script(`${NO_PROGRAMS}; mkdir -p -- "$1"`, [join(dir, 'deep')])).toEqual({ stdout: '', rc: 0 });
    const exists = await worker.script('mkdir -- "$1"', [join(dir, 'made')]);
    expect(exists).toEqual({ stdout: `mkdir: cannot create directory ‘${join(dir, 'made')}’: File exists\n`, rc: 1 });
    writeFileSync(join(dir, 'plain'), '');
    expect((await worker.script('mkdir -p -- "$1"', [join(dir, 'plain/sub')])).stdout).toMatch(/Not a directory/);
  });

  it('links as ln -s does, and leaves ln a link into a directory', async () => {
    expect(await worker.script(`${NO_PROGRAMS}; ln -s -- "$1" "$2"`, ['../somewhere', join(dir, 'symlink')])).toEqual({ stdout: '', rc: 0 });
    expect(readlinkSync(join(dir, 'symlink'))).toBe('../somewhere');
    expect((await worker.script('ln -s -- "$1" "$2"', ['/etc/hostname', join(dir, 'sub')])).rc).toBe(0);
    expect(readlinkSync(join(dir, 'sub/hostname'))).toBe('/etc/hostname');
    const taken = await worker.script('ln -s -- "$1" "$2"', ['/x', join(dir, 'symlink')]);
    expect(taken.rc).toBe(1);
    expect(taken.stdout).toContain('File exists');
  });

  it('answers file --mime-type --mime-encoding from one file(1) kept running', async () => {
    const samples = { 'text.ini': '[app]\nkey = 1\n', 'script.sh': '#!/bin/sh\necho hi\n', 'data.json': '{"a": [1, 2]}\n', 'empty': '', 'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) };
    for (const [name, content] of Object.entries(samples)) writeFileSync(join(dir, name), content);
    const paths = [...Object.keys(samples).map((name) => join(dir, name)), join(dir, 'sub'), join(dir, 'link'), '/dev/null', join(dir, 'missing')];
    const mime = 'file --mime-type --mime-encoding -- "$1"';
    for (const path of paths) {
      const program = await worker.script(`command ${mime}`, [path]);
      // Alone: file(1) cannot be found on the PATH the script runs with, only the helper's.
      const helper = await worker.script(`tsplay_path=$PATH; ${NO_PROGRAMS}; tsplay_ask mime "$1" "$tsplay_path"`, [path]);
      expect(helper, path).toEqual(program);
      expect((await worker.script(mime, [path])).stdout, path).toBe(program.stdout);
    }
    // Another PATH or magic file than the helper's: the program answers.
    expect((await worker.script(`${NO_PROGRAMS}; ${mime} 2>&1`, [join(dir, 'text.ini')])).stdout).toMatch(/file: not found/);
    expect((await worker.script(`MAGIC=/nonexistent ${mime} 2>&1`, [join(dir, 'text.ini')])).stdout).not.toBe((await worker.script(mime, [join(dir, 'text.ini')])).stdout);
  });

  it('answers lsattr -vd for a caller whose stderr goes nowhere: failures at once, lines learnt from the program', async () => {
    const file = join(dir, 'attrs.txt');
    const noatime = join(dir, 'attrs-noatime.txt');
    writeFileSync(file, 'x\n');
    writeFileSync(noatime, 'y\n');
    symlinkSync(file, join(dir, 'attrs-link'));
    // Another flags word than the plain file's (where the filesystem has flags).
    spawnSync('chattr', ['+A', noatime]);
    const paths = [file, dir, noatime, join(dir, 'attrs-link'), '/dev/null', join(dir, 'missing'), '/dev/shm', '/proc/self'];
    const lsattr = 'lsattr -vd -- "$1" 2>/dev/null; echo "rc=$?"';
    for (const path of paths) {
      const program = await worker.script(`command ${lsattr}`, [path]);
      // The first time for a flags word the program answers, and the helper learns its line.
      expect(await worker.script(lsattr, [path]), path).toEqual(program);
      // Alone (no program on the PATH): what the helper learnt, or 2 where the program fails.
      const helper = await worker.script(`tsplay_path=$PATH; ${NO_PROGRAMS}; tsplay_ask lsattr "$1" "$tsplay_path"; echo "rc=$?"`, [path]);
      expect(helper.stdout, path).toBe(program.stdout.replace(/^rc=1\n$/, 'rc=2\n'));
      expect(await worker.script(lsattr, [path]), path).toEqual(program);
    }
    // A caller that keeps lsattr's messages gets the program.
    expect((await worker.script('lsattr -vd -- "$1" 2>&1', ['/dev/null'])).stdout).toMatch(/^lsattr: .*\/dev\/null/);
  });

  it('answers sha1sum -- PATH for small files, and leaves larger ones and escaped names to the program', async () => {
    const sums = join(dir, 'sums');
    mkdirSync(sums);
    const sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 447, 1000, 1023, 1024, 1025, 5000];
    const files = sizes.map((size) => {
      const path = join(sums, `file ${size}.bin`);
      writeFileSync(path, randomBytes(size));
      return path;
    });
    const escaped = join(sums, 'back\\slash');
    writeFileSync(escaped, 'x');
    const sum = 'sha1sum -- "$1" 2>&1; echo "rc=$?"';
    for (const path of [...files, escaped, sums, join(sums, 'missing')]) {
      const program = await worker.script(`command ${sum}`, [path]);
      expect(await worker.script(sum, [path]), path).toEqual(program);
      // Alone (no program on the PATH): the helper answers for regular files up to 1 KiB.
      const helper = await worker.script(`tsplay_path=$PATH; ${NO_PROGRAMS}; tsplay_ask sha1 "$1" "$tsplay_path"; echo "rc=$?"`, [path]);
      const small = files.includes(path) && statSync(path).size <= 1024;
      expect(helper.stdout, path).toBe(small ? program.stdout : 'rc=1\n');
    }
  });

  it('keeps its pipes from the programs a user runs', async () => {
    const fdsOf = async (script: string) => (await worker.script(script)).stdout.split('\n').filter(Boolean).map(Number);
    expect(await fdsOf('ls /proc/self/fd')).toEqual(expect.arrayContaining([8, 9]));
    const user = await fdsOf(`(${commandBody(['/bin/sh', '-c', 'ls /proc/self/fd'])})`);
    expect(user).toEqual(expect.arrayContaining([0, 1, 2]));
    expect(user).not.toContain(8);
    expect(user).not.toContain(9);
  });
});
