// unarchive against Ansible's action and module: tar.gz and zip archives from the
// controller and from the target, idempotence, check mode, list_files, errors.
import { describe, expect, it } from 'vitest';
import { unarchiveModule } from '../../../../src/modules/core/files/unarchive.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const step = (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module: unarchiveModule, args, ...extra });

// The archives are made in the work directory; "controller" sources name them by absolute path.
const SETUP = [
  'mkdir -p build/app/sub out out2 out3 empty',
  'echo one > build/app/one.txt; echo two > build/app/sub/two.txt',
  'touch -d 2020-01-01 build/app/one.txt build/app/sub/two.txt build/app/sub build/app',
  '(cd build && tar czf ../app.tgz app && zip -qr ../app.zip app)',
  ': > empty.tgz',
].join('; ');

const cases: Record<string, OracleCase> = {
  'tar.gz': {
    setup: SETUP,
    steps: [
      step({ src: '$WORK/app.tgz', dest: '$WORK/out' }, { check: true }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/out', list_files: true }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/out' }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/out2', remote_src: true, mode: 'u=rwX,g=rX,o=' }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/out2', remote_src: true, mode: 'u=rwX,g=rX,o=' }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/out', creates: '$WORK/out/app' }),
      step({ src: '$WORK/app.tgz', dest: '$WORK/missing' }),
      step({ src: '$WORK/empty.tgz', dest: '$WORK/out', remote_src: true }),
      step({ src: '$WORK/nope.tgz', dest: '$WORK/out', remote_src: true }),
      step({ src: 'nope.tgz', dest: '$WORK/out' }),
      step({ dest: '$WORK/out' }),
    ],
  },
  zip: {
    setup: SETUP,
    steps: [
      step({ src: '$WORK/app.zip', dest: '$WORK/out3', remote_src: true }, { check: true }),
      step({ src: '$WORK/app.zip', dest: '$WORK/out3', remote_src: true }),
      step({ src: '$WORK/app.zip', dest: '$WORK/out3', remote_src: true }),
      step({ src: '$WORK/app.zip', dest: '$WORK/out3', remote_src: true }, { check: true }),
    ],
  },
};

describe('unarchive agrees with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle(`unarchive-${name}`, oracleCase);
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      const strip = (r: Record<string, unknown>) => {
        // The exact command lines and tar's own output are implementation details.
        const { extract_results: extract, diff, ...rest } = r as Record<string, unknown> & { extract_results?: { rc: number } };
        void diff;
        return extract ? { ...rest, extract_rc: extract.rc } : rest;
      };
      run.ansible.forEach((expected, i) => expect(strip(run.tsplay[i]!), `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(strip(expected)));
      // The zip made in the setup records access times, so only what was unpacked is compared.
      const unpacked = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([path]) => path.startsWith('out')));
      expect(unpacked(run.tsplayTree)).toEqual(unpacked(run.ansibleTree));
    });
  }
});
