// template against Ansible's template action: the rendered file goes through copy, so
// results, check mode, diff (header: the rendered temporary file) and errors must agree.
// Templates here use plain variables only: the test Templar renders those like Jinja2.
import { describe, expect, it } from 'vitest';
import { templateModule } from '../../../../src/modules/core/files/template.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const step = (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module: templateModule, args, ...extra });

const cases: Record<string, OracleCase> = {
  'render, idempotence, check mode, diff, mode and backup': {
    files: {
      'templates/app.conf.j2': 'server {{ server_name }};\nport {{ port }};\n',
      'templates/other.j2': 'other {{ port }}\n',
    },
    vars: { server_name: 'example.org', port: 8080 },
    setup: 'printf "server old;\\n" > app.conf',
    steps: [
      step({ src: 'app.conf.j2', dest: '$WORK/app.conf' }, { check: true }),
      step({ src: 'app.conf.j2', dest: '$WORK/app.conf', backup: true, mode: '0640' }),
      step({ src: 'app.conf.j2', dest: '$WORK/app.conf', backup: true, mode: '0640' }),
      step({ src: 'other.j2', dest: '$WORK/' }),
      step({ src: 'app.conf.j2', dest: '$WORK/v.conf', validate: 'grep -q example %s' }),
    ],
  },
  'errors': {
    files: { 'templates/app.conf.j2': 'x\n' },
    steps: [
      step({ src: 'missing.j2', dest: '$WORK/x' }),
      step({ src: 'app.conf.j2' }),
      step({ src: 'app.conf.j2', dest: '$WORK/x', state: 'present' }),
      step({ src: 'app.conf.j2', dest: '$WORK/x', newline_sequence: '\\t' }),
    ],
  },
};

describe('template agrees with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle('template', oracleCase, { scripted: true });
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.tsplayTree).toEqual(run.ansibleTree);
      // The same on a connection where the module takes its remote (SSH) paths.
      run.ansible.forEach((expected, i) => expect(run.scripted!.results[i], `scripted, step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.scripted!.tree).toEqual(run.ansibleTree);
    });
  }
});
