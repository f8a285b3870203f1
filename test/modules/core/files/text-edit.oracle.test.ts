// lineinfile, blockinfile and replace against Ansible's modules: the same edits on the
// same files; results (messages, diff) and the files afterwards must be equal.
import { describe, expect, it } from 'vitest';
import { blockinfileModule } from '../../../../src/modules/core/files/blockinfile.js';
import { lineinfileModule } from '../../../../src/modules/core/files/lineinfile.js';
import { replaceModule } from '../../../../src/modules/core/files/replace.js';
import type { ModuleDefinition } from '../../../../src/modules/module.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const on = (module: ModuleDefinition<never>) => (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module, args, ...extra });
const line = on(lineinfileModule);
const block = on(blockinfileModule);
const repl = on(replaceModule);

const CONFIG = '# config\nPort 22\n#PermitRootLogin yes\nPasswordAuthentication yes\nListen 80\nListen 81\n';

const cases: Record<string, OracleCase> = {
  'lineinfile: replace by regexp, add, backrefs, insert positions, check mode': {
    setup: `printf '${CONFIG.replace(/\n/g, '\\n')}' > sshd_config; printf 'no newline at end' > tail`,
    steps: [
      line({ path: '$WORK/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }, { check: true }),
      line({ path: '$WORK/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }),
      line({ path: '$WORK/sshd_config', regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }),
      line({ path: '$WORK/sshd_config', line: 'UseDNS no' }),
      line({ path: '$WORK/sshd_config', line: 'UseDNS no' }),
      line({ path: '$WORK/sshd_config', regexp: '^Port (\\d+)$', line: 'Port \\g<1>0', backrefs: true }),
      line({ path: '$WORK/sshd_config', regexp: '^Nope (.*)', line: 'x \\1', backrefs: true }),
      line({ path: '$WORK/sshd_config', line: 'Listen 82', insertafter: '^Listen' }),
      line({ path: '$WORK/sshd_config', line: 'Listen 79', insertbefore: '^Listen', firstmatch: true }),
      line({ path: '$WORK/sshd_config', line: '# top', insertbefore: 'BOF' }),
      line({ path: '$WORK/sshd_config', line: 'Include x', insertafter: '^NoSuchLine' }),
      line({ path: '$WORK/sshd_config', search_string: 'PasswordAuthentication', line: 'PasswordAuthentication no' }),
      line({ path: '$WORK/tail', line: 'added' }),
      line({ path: '$WORK/new/file.conf', line: 'created', create: true, mode: '0600' }, { check: true }),
      line({ path: '$WORK/new/file.conf', line: 'created', create: true, mode: '0600' }),
      line({ path: '$WORK/missing', line: 'x' }),
      line({ path: '$WORK/sshd_config', regexp: '', line: 'x' }, { check: true }),
    ],
  },
  'lineinfile: absent, backup, validate, errors': {
    setup: `printf '${CONFIG.replace(/\n/g, '\\n')}' > conf; mkdir adir`,
    steps: [
      line({ path: '$WORK/conf', regexp: '^Listen', state: 'absent' }, { check: true }),
      line({ path: '$WORK/conf', regexp: '^Listen', state: 'absent', backup: true }),
      line({ path: '$WORK/conf', regexp: '^Listen', state: 'absent' }),
      line({ path: '$WORK/conf', line: 'Port 22', state: 'absent' }),
      line({ path: '$WORK/nope', line: 'x', state: 'absent' }),
      line({ path: '$WORK/conf', state: 'absent' }),
      line({ path: '$WORK/conf', line: 'bad', validate: 'grep -q good %s' }),
      line({ path: '$WORK/conf', line: 'good', validate: 'grep -q good %s', owner: 'nobody' }),
      line({ path: '$WORK/adir', line: 'x' }),
      line({ path: '$WORK/conf', backrefs: true, line: 'x' }),
      line({ path: '$WORK/conf', regexp: 'x', search_string: 'y', line: 'x' }),
      line({ path: '$WORK/conf' }),
    ],
  },
  'blockinfile: insert, update, positions, markers, remove': {
    setup: `printf '${CONFIG.replace(/\n/g, '\\n')}' > conf`,
    steps: [
      block({ path: '$WORK/conf', block: 'Match User deploy\n  X11Forwarding no' }, { check: true }),
      block({ path: '$WORK/conf', block: 'Match User deploy\n  X11Forwarding no' }),
      block({ path: '$WORK/conf', block: 'Match User deploy\n  X11Forwarding no' }),
      block({ path: '$WORK/conf', block: 'Match User deploy\n  X11Forwarding yes', backup: true }),
      block({ path: '$WORK/conf', block: 'first', marker: '<!-- {mark} top -->', insertbefore: 'BOF' }),
      block({ path: '$WORK/conf', block: 'after port', marker: '# {mark} port', insertafter: '^Port' }),
      block({ path: '$WORK/conf', block: 'custom', marker_begin: 'START', marker_end: 'STOP' }),
      block({ path: '$WORK/conf', state: 'absent' }),
      block({ path: '$WORK/conf', state: 'absent' }),
      block({ path: '$WORK/new.conf', block: 'x', create: true }),
      block({ path: '$WORK/missing.conf', block: 'x' }),
      block({ path: '$WORK/missing.conf', state: 'absent' }),
    ],
  },
  'replace: all matches, sections, backrefs, check mode': {
    setup: `printf '${CONFIG.replace(/\n/g, '\\n')}' > conf`,
    steps: [
      repl({ path: '$WORK/conf', regexp: '^Listen (\\d+)$', replace: 'Listen 0.0.0.0:\\1' }, { check: true }),
      repl({ path: '$WORK/conf', regexp: '^Listen (\\d+)$', replace: 'Listen 0.0.0.0:\\1' }),
      repl({ path: '$WORK/conf', regexp: '^Listen (\\d+)$', replace: 'Listen 0.0.0.0:\\1' }),
      repl({ path: '$WORK/conf', regexp: 'yes', replace: 'no', after: 'Port', before: 'Listen', backup: true }),
      repl({ path: '$WORK/conf', regexp: 'x', after: 'NOPE' }),
      repl({ path: '$WORK/conf', regexp: '(?P<key>Port) (?P<value>\\d+)', replace: '\\g<key>=\\g<value>', mode: '0600' }),
      repl({ path: '$WORK/nope', regexp: 'x' }),
    ],
  },
};

describe('text-editing modules agree with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle('edit', oracleCase, { scripted: true });
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.tsplayTree).toEqual(run.ansibleTree);
      // The same on a connection where the module takes its remote (SSH) paths.
      run.ansible.forEach((expected, i) => expect(run.scripted!.results[i], `scripted, step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.scripted!.tree).toEqual(run.ansibleTree);
    });
  }
});
