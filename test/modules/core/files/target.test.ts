// Target.sh with paths to describe: the script's result (exit code, output, arguments)
// is what it would have been alone, and the descriptions are learnt in the same command.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Target } from '../../../../src/modules/core/files/target.js';
import { tempDir, testContext } from '../../helpers.js';
import { ScriptedConnection } from '../../scripted-connection.js';

const { dir, cleanup } = tempDir('tsplay-target-');
afterAll(cleanup);

function remoteTarget() {
  const connection = new ScriptedConnection('localhost');
  return { connection, target: new Target(testContext({ connection })) };
}

describe('Target.sh describing paths after the script', () => {
  const file = join(dir, 'file');
  writeFileSync(file, 'content\n');
  symlinkSync('file', join(dir, 'link'));

  it('keeps the exit code, output and arguments of a script that exits early', async () => {
    const { connection, target } = remoteTarget();
    const script = 'printf "%s|" "$#" "$@"; echo err >&2; [ "$1" = a ] && exit 3; echo never';
    const alone = await target.sh(script, ['a', 'b c']);
    const { target: describing } = remoteTarget();
    const described = await describing.sh(script, ['a', 'b c'], { describe: [file, { path: join(dir, 'link'), ownOnly: true }] });
    expect(described).toEqual(alone);
    expect(described).toMatchObject({ rc: 3, stdout: '2|a|b c|', stderr: 'err\n' });
    // Learnt in the same command: no more questions.
    const before = connection.commands;
    expect((await describing.stat(file))?.type).toBe('file');
    expect((await describing.stat(join(dir, 'link')))?.linkTarget).toBe('file');
    expect(await describing.exists(join(dir, 'link'))).toBe(true);
    expect(connection.commands).toBe(before);
  });

  it('keeps the exit code of a script that ends on its own, failing or not', async () => {
    const { target } = remoteTarget();
    expect(await target.sh('false', [], { describe: [file] })).toMatchObject({ rc: 1, stdout: '' });
    expect(await target.sh('(exit 4); echo $?', [], { describe: [file] })).toMatchObject({ rc: 0, stdout: '4\n' });
  });
});
