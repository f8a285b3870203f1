// copy against Ansible's copy action and module: content, controller files and trees,
// check mode, diff, backup, validate, force, follow, remote_src, and the error cases.
import { describe, expect, it } from 'vitest';
import { validateModuleArgs } from '../../../../src/modules/arguments.js';
import { copyModule } from '../../../../src/modules/core/files/copy.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const step = (args: Record<string, unknown>, extra: { check?: boolean; diff?: boolean } = {}) => ({ module: copyModule, args, ...extra });

const files = {
  'files/app.conf': 'listen 80;\nroot /srv;\n',
  'files/tree/a.txt': 'a\n',
  'files/tree/sub/b.txt': 'b\n',
  'files/tree/sub/deeper/c.txt': 'c\n',
  'files/bin.dat': 'bin\u0000ary',
};

const cases: Record<string, OracleCase> = {
  'content: create, unchanged, mode change, check mode and diff': {
    files,
    steps: [
      step({ content: 'hello\n', dest: '$WORK/hello.txt' }, { check: true }),
      step({ content: 'hello\n', dest: '$WORK/hello.txt' }),
      step({ content: 'hello\n', dest: '$WORK/hello.txt' }),
      step({ content: 'hello\n', dest: '$WORK/hello.txt', mode: '0600' }, { check: true }),
      step({ content: 'hello\n', dest: '$WORK/hello.txt', mode: '0600' }),
      step({ content: 'changed\n', dest: '$WORK/hello.txt', backup: true }),
      step({ content: { a: [1, 'x'] }, dest: '$WORK/data.json' }),
      step({ content: 'no newline', dest: '$WORK/hello.txt' }, { check: true }),
      step({ content: 'x\n', dest: '$WORK/modes', mode: '0755' }),
      step({ content: 'y\n', dest: '$WORK/modes', mode: '04750' }),
      step({ content: 'z\n', dest: '$WORK/modes', mode: 'u-x,g+w' }),
      step({ content: 'w\n', dest: '$WORK/modes', mode: 420 }),
      step({ content: 'v\n', dest: '$WORK/modes', mode: 420 }),
      step({ content: 'u\n', dest: '$WORK/bad-mode', mode: '0999' }),
    ],
  },
  'src files: to a file, into a directory, to a new directory path, force and follow': {
    files,
    setup: 'mkdir existing; echo old > existing/app.conf; echo target > real; ln -s real link',
    steps: [
      step({ src: 'app.conf', dest: '$WORK/app.conf', owner: 'nobody', mode: '0640' }),
      step({ src: 'app.conf', dest: '$WORK/app.conf', owner: 'nobody', mode: '0640' }),
      step({ src: 'app.conf', dest: '$WORK/existing' }),
      step({ src: 'app.conf', dest: '$WORK/new/dirs/', directory_mode: '0750' }),
      step({ src: 'app.conf', dest: '$WORK/new/dirs/' }),
      step({ content: 'x\n', dest: '$WORK/existing/app.conf', force: false }),
      step({ src: 'app.conf', dest: '$WORK/link', follow: true }),
      step({ src: 'app.conf', dest: '$WORK/link2', follow: true }),
      step({ src: 'bin.dat', dest: '$WORK/bin.dat' }),
      step({ src: 'app.conf', dest: '$WORK/preserved', mode: 'preserve' }),
    ],
  },
  'directory trees, with and without a trailing slash': {
    files,
    steps: [
      step({ src: 'tree', dest: '$WORK/out' }, { check: true }),
      step({ src: 'tree', dest: '$WORK/out' }),
      step({ src: 'tree', dest: '$WORK/out' }),
      step({ src: 'tree/', dest: '$WORK/flat', directory_mode: '0700' }),
      step({ src: 'tree/', dest: '$WORK/flat' }),
    ],
  },
  'validate, and the errors': {
    files,
    setup: 'mkdir dir',
    steps: [
      step({ content: 'ok\n', dest: '$WORK/v.txt', validate: 'grep -q ok %s' }),
      step({ content: 'bad\n', dest: '$WORK/v.txt', validate: 'grep -q ok %s' }),
      step({ content: 'bad\n', dest: '$WORK/v.txt', validate: 'true' }),
      step({ src: 'missing.conf', dest: '$WORK/x' }),
      step({ content: 'x', dest: '$WORK/nodir/sub/x' }),
      step({ content: 'x', dest: '$WORK/dir' }),
      step({ content: 'x', dest: '$WORK/dir/' }),
      step({ dest: '$WORK/x' }),
      step({ content: 'x' }),
      step({ content: 'x', src: 'app.conf', dest: '$WORK/x' }),
    ],
  },
  'remote_src: a file and a tree on the target': {
    setup: 'mkdir -p srcdir/sub; echo one > srcdir/one; echo two > srcdir/sub/two; echo file > file.txt; mkdir destdir',
    steps: [
      step({ src: '$WORK/file.txt', dest: '$WORK/copied.txt', remote_src: true }, { check: true }),
      step({ src: '$WORK/file.txt', dest: '$WORK/copied.txt', remote_src: true }),
      step({ src: '$WORK/file.txt', dest: '$WORK/copied.txt', remote_src: true }),
      step({ src: '$WORK/srcdir', dest: '$WORK/destdir', remote_src: true }),
      step({ src: '$WORK/srcdir', dest: '$WORK/destdir', remote_src: true }),
      step({ src: '$WORK/srcdir/', dest: '$WORK/flat', remote_src: true }),
      step({ src: '$WORK/missing', dest: '$WORK/x', remote_src: true }),
    ],
  },
};

describe('copy agrees with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle('copy', oracleCase, { scripted: true });
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.tsplayTree).toEqual(run.ansibleTree);
      // The same on a connection where the module takes its remote (SSH) paths.
      run.ansible.forEach((expected, i) => expect(run.scripted!.results[i], `scripted, step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.scripted!.tree).toEqual(run.ansibleTree);
    });
  }
});

describe('copy arguments', () => {
  it('names the supported parameters as the copy module does (action-only options unlisted)', () => {
    expect(() => validateModuleArgs(copyModule as never, { content: 'x', dest: '/x', bogus: true }, 'copy')).toThrow(
      'Unsupported parameters for (ansible.legacy.copy) module: bogus. Supported parameters include: _original_basename, attributes, backup, checksum, content, dest, directory_mode, follow, force, group, local_follow, mode, owner, remote_src, selevel, serole, setype, seuser, src, unsafe_writes, validate (attr).',
    );
  });
});

describe('copy under no_log', () => {
  it('hides the file content in its diff, as the copy action does', async () => {
    const { tempDir, testContext, runModule } = await import('../../helpers.js');
    const { dir, cleanup } = tempDir();
    try {
      const result = await runModule(copyModule, { content: 'secret\n', dest: `${dir}/s.txt` }, testContext({ diffMode: true, noLog: true }));
      expect(result.diff).toEqual([
        expect.objectContaining({ before: '', after: " [[ Diff output has been hidden because 'no_log: true' was specified for this result ]]\n" }),
      ]);
    } finally {
      cleanup();
    }
  });
});
