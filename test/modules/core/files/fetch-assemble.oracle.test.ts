// fetch and assemble against Ansible's action plugins and modules.
import { describe, expect, it } from 'vitest';
import { assembleModule } from '../../../../src/modules/core/files/assemble.js';
import { fetchModule } from '../../../../src/modules/core/files/fetch.js';
import type { ModuleDefinition } from '../../../../src/modules/module.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const on = (module: ModuleDefinition<never>) => (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module, args, ...extra });
const fetch = on(fetchModule);
const assemble = on(assembleModule);

const cases: Record<string, OracleCase> = {
  fetch: {
    setup: 'mkdir -p remote out; echo remote data > remote/app.log; mkdir remote/dir',
    steps: [
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/out' }, { check: true }),
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/out' }),
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/out' }),
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/flat/', flat: true }),
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/flat/renamed.log', flat: true }),
      fetch({ src: '$WORK/remote/app.log', dest: '$WORK/out', flat: true }),
      fetch({ src: '$WORK/remote/missing', dest: '$WORK/out' }),
      fetch({ src: '$WORK/remote/missing', dest: '$WORK/out', fail_on_missing: false }),
      fetch({ src: '$WORK/remote/dir', dest: '$WORK/out' }),
      fetch({ src: '$WORK/remote/app.log' }),
    ],
  },
  assemble: {
    files: { 'files/frag/01-a': 'first\n', 'files/frag/02-b': 'second', 'files/frag/03-c': 'third\n', 'files/frag/.hidden': 'h\n' },
    setup: "mkdir frags; printf 'a\\n' > frags/10-a; printf 'b' > frags/20-b; printf 'c\\n' > frags/30-c; printf 'h\\n' > frags/.h; mkdir frags/sub",
    steps: [
      assemble({ src: '$WORK/frags', dest: '$WORK/out.conf' }),
      assemble({ src: '$WORK/frags', dest: '$WORK/out.conf' }),
      assemble({ src: '$WORK/frags', dest: '$WORK/out.conf', delimiter: '### sep', ignore_hidden: true, regexp: '^[0-9]', backup: true }),
      assemble({ src: '$WORK/frags', dest: '$WORK/v.conf', validate: 'grep -q zzz %s' }),
      assemble({ src: '$WORK/frags', dest: '$WORK/out.conf', mode: '0600' }),
      assemble({ src: '$WORK/missing', dest: '$WORK/x' }),
      assemble({ src: 'frag', dest: '$WORK/local.conf', remote_src: false }),
      assemble({ dest: '$WORK/x' }),
      assemble({ src: '$WORK/frags', dest: '$WORK/out.conf' }, { check: true }),
    ],
  },
};

describe('fetch and assemble agree with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle(name, oracleCase, { scripted: true });
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.tsplayTree).toEqual(run.ansibleTree);
      // The same on a connection where the module takes its remote (SSH) paths.
      run.ansible.forEach((expected, i) => expect(run.scripted!.results[i], `scripted, step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.scripted!.tree).toEqual(run.ansibleTree);
    });
  }
});
