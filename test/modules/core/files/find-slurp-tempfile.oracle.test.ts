// find, slurp and tempfile against Ansible's modules.
import { describe, expect, it } from 'vitest';
import { findModule } from '../../../../src/modules/core/files/find.js';
import { slurpModule } from '../../../../src/modules/core/files/slurp.js';
import { tempfileModule } from '../../../../src/modules/core/files/tempfile.js';
import type { ModuleDefinition } from '../../../../src/modules/module.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const on = (module: ModuleDefinition<never>) => (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module, args, ...extra });
const find = on(findModule);
const slurp = on(slurpModule);
const tempfile = on(tempfileModule);

const TREE = 'mkdir -p t/a/b t/.hidden; echo 1 > t/one.log; echo 22 > t/two.txt; echo error here > t/a/err.log; echo x > t/a/b/deep.log; echo h > t/.hidden/h.log; echo dot > t/.dot.log; ln -s one.log t/link.log; head -c 3000 /dev/zero > t/big.bin; touch -d "2001-01-01" t/two.txt';

const cases: Record<string, OracleCase> = {
  find: {
    setup: TREE,
    steps: [
      find({ paths: '$WORK/t' }),
      find({ paths: '$WORK/t', patterns: '*.log', recurse: true }),
      find({ paths: ['$WORK/t'], patterns: ['*.log', '*.txt'], excludes: 'err*', recurse: true, hidden: true }),
      find({ paths: '$WORK/t', file_type: 'directory', recurse: true }),
      find({ paths: '$WORK/t', file_type: 'link' }),
      find({ paths: '$WORK/t', file_type: 'any', recurse: true, depth: 2 }),
      find({ paths: '$WORK/t', patterns: '^[a-z]+\\.log$', use_regex: true, recurse: true }),
      find({ paths: '$WORK/t', contains: 'error', recurse: true }),
      find({ paths: '$WORK/t', size: '2k' }),
      find({ paths: '$WORK/t', age: '1w' }),
      find({ paths: '$WORK/t', age: 'soon' }),
      find({ paths: '$WORK/t', get_checksum: true, patterns: 'one.log' }),
      find({ paths: ['$WORK/t', '$WORK/missing'] }),
    ],
  },
  slurp: {
    setup: "printf 'hello\\0world' > data; mkdir dir",
    steps: [slurp({ src: '$WORK/data' }), slurp({ path: '$WORK/missing' }), slurp({ src: '$WORK/dir' })],
  },
  tempfile: {
    setup: 'mkdir here',
    steps: [tempfile({ path: '$WORK/here', prefix: 'p.', suffix: '.s' }, { check: true }), tempfile({ path: '$WORK/nope' }), tempfile({ path: '$WORK/here', state: 'directory' })],
  },
};

describe('find, slurp and tempfile agree with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle(name, oracleCase);
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      // tempfile's names are random.
      const names = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/ansible\.[a-z0-9_]{8}/g, 'ansible.<random>'));
      run.ansible.forEach((expected, i) => expect(names(run.tsplay[i]), `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(names(expected)));
    });
  }
});
