// stat against Ansible's stat module on files, directories, links, devices and misses.
import { describe, expect, it } from 'vitest';
import { statModule } from '../../../../src/modules/core/files/stat.js';
import { runOracle } from '../../oracle.js';

const step = (args: Record<string, unknown>) => ({ module: statModule, args });

describe('stat agrees with Ansible', () => {
  it('reports files, directories, links, devices and missing paths', async () => {
    const steps = [
      step({ path: '$WORK/file' }),
      step({ path: '$WORK/file', get_md5: true, checksum_algorithm: 'sha256' }),
      step({ path: '$WORK/file', get_checksum: false, get_mime: false, get_attributes: false }),
      step({ path: '$WORK/dir' }),
      step({ path: '$WORK/link' }),
      step({ path: '$WORK/link', follow: true }),
      step({ path: '$WORK/dangling' }),
      step({ path: '$WORK/missing' }),
      step({ path: '$WORK/exec' }),
      step({ path: '/dev/null' }),
      step({ path: '$WORK/bin' }),
      step({ path: '$WORK/file', bogus: 1 }),
      step({ path: '$WORK/orphan' }),
      step({ path: '$WORK/file/below' }),
    ];
    const run = await runOracle('stat', {
      setup: "printf 'hello\\n' > file; mkdir dir; ln -s file link; ln -s nowhere dangling; printf '#!/bin/sh\\n' > exec; chmod 4755 exec; chown nobody:nogroup exec; head -c 100 /dev/zero > bin; touch orphan; chown 54321:54321 orphan",
      steps,
    });
    expect(run.ansible).toHaveLength(steps.length);
    run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(steps[i]!.args)}`).toEqual(expected));
  });
});
