// The file module against Ansible's: the same steps through ansible-playbook and tsplay
// in the same directory; results (diff included) and the resulting tree must be equal.
import { describe, expect, it } from 'vitest';
import { fileModule } from '../../../../src/modules/core/files/file.js';
import { runOracle, type OracleCase } from '../../oracle.js';

const step = (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module: fileModule, args, ...extra });

const cases: Record<string, OracleCase> = {
  'directory: create with mode, idempotent, symbolic mode, check mode': {
    steps: [
      step({ path: '$WORK/a/b/c', state: 'directory', mode: '0750' }, { check: true }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: '0750' }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: '0750' }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: 'u+w,g-x,o=r' }, { check: true }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: 'u+w,g-x,o=r' }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: 'a=rX' }),
      step({ path: '$WORK/a/b/c', state: 'directory', mode: 493 }),
    ],
  },
  'touch, file attributes, owner and group': {
    setup: 'echo data > existing',
    steps: [
      step({ path: '$WORK/t', state: 'touch', mode: '0600' }, { check: true }),
      step({ path: '$WORK/t', state: 'touch', mode: '0600' }),
      step({ path: '$WORK/t', state: 'file', owner: 'nobody', group: 'nogroup' }, { check: true }),
      step({ path: '$WORK/t', state: 'file', owner: 'nobody', group: 'nogroup' }),
      step({ path: '$WORK/t', state: 'file', owner: 'nobody', group: 'nogroup' }),
      step({ path: '$WORK/t', owner: '0', group: 0 }),
      step({ path: '$WORK/existing', state: 'touch', modification_time: 'preserve', access_time: 'preserve' }),
      step({ path: '$WORK/existing', state: 'file', modification_time: '202001021530.45' }),
      step({ path: '$WORK/existing', state: 'file', modification_time: '202001021530.45' }),
      step({ path: '$WORK/missing', state: 'file' }),
      step({ path: '$WORK/t', state: 'file', owner: 'no-such-user' }),
      step({ path: '$WORK/t', state: 'file', owner: 'no-such-user' }, { check: true }),
    ],
  },
  'links: symbolic and hard, relative src, force, conversions': {
    setup: 'echo one > one; echo two > two; mkdir full empty; touch full/x',
    steps: [
      step({ path: '$WORK/l', src: 'one', state: 'link' }, { check: true }),
      step({ path: '$WORK/l', src: 'one', state: 'link' }),
      step({ path: '$WORK/l', src: 'one', state: 'link' }),
      step({ path: '$WORK/l', src: 'two', state: 'link' }),
      step({ path: '$WORK/dangling', src: 'nowhere', state: 'link' }),
      step({ path: '$WORK/dangling', src: 'nowhere', state: 'link', force: true }),
      step({ path: '$WORK/one', src: 'two', state: 'link' }),
      step({ path: '$WORK/empty', src: 'two', state: 'link' }),
      step({ path: '$WORK/empty', src: 'two', state: 'link', force: true }),
      step({ path: '$WORK/full', src: 'two', state: 'link', force: true }),
      step({ path: '$WORK/h', src: '$WORK/two', state: 'hard' }),
      step({ path: '$WORK/h', src: '$WORK/two', state: 'hard' }),
      step({ path: '$WORK/h', src: '$WORK/one', state: 'hard' }),
      step({ path: '$WORK/h', src: '$WORK/one', state: 'hard', force: true }),
      step({ path: '$WORK/h' }),
      step({ path: '$WORK/l', state: 'file', mode: '0640' }),
      step({ path: '$WORK/l', state: 'link', follow: false, mode: '0600' }),
    ],
  },
  'absent: files, links and trees with their content in the diff': {
    setup: 'mkdir -p tree/a/b tree/c; touch tree/f1 tree/a/f2 tree/a/b/f3; ln -s a tree/la; ln -s f1 tree/lf; echo x > file',
    steps: [
      step({ path: '$WORK/tree', state: 'absent' }, { check: true }),
      step({ path: '$WORK/tree', state: 'absent' }),
      step({ path: '$WORK/tree', state: 'absent' }),
      step({ path: '$WORK/file', state: 'absent' }),
    ],
  },
  'recurse: owner and mode on a tree, errors': {
    setup: 'mkdir -p tree/a/b; touch tree/f1 tree/a/f2; chmod 0600 tree/f1; ln -s f1 tree/link; touch plain',
    steps: [
      step({ path: '$WORK/tree', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }, { check: true }),
      step({ path: '$WORK/tree', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }),
      step({ path: '$WORK/tree', state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' }),
      step({ path: '$WORK/tree', state: 'directory', recurse: true, owner: 'nobody' }),
      step({ path: '$WORK/tree', recurse: true, group: 'nogroup' }),
      step({ path: '$WORK/plain', state: 'file', recurse: true }),
      step({ path: '$WORK/plain', state: 'directory' }),
      step({ path: '$WORK/plain', src: '/etc/hosts' }),
      step({ path: '$WORK/plain', mode: 'z+q' }),
      step({ path: '$WORK/new', recurse: true }),
    ],
  },
  'hostile names': {
    steps: [
      step({ path: "$WORK/it's a \"$(touch pwned)\" `id` dir", state: 'directory' }),
      step({ path: "$WORK/it's a \"$(touch pwned)\" `id` dir/-n\nline", state: 'touch' }),
      step({ path: '$WORK/--help', src: "it's a \"$(touch pwned)\" `id` dir", state: 'link' }),
      step({ path: "$WORK/it's a \"$(touch pwned)\" `id` dir", state: 'absent' }),
    ],
  },
};

describe('file module agrees with Ansible', () => {
  for (const [name, oracleCase] of Object.entries(cases)) {
    it(name, async () => {
      const run = await runOracle('file', oracleCase, { scripted: true });
      expect(run.ansible).toHaveLength(oracleCase.steps.length);
      run.ansible.forEach((expected, i) => expect(run.tsplay[i], `step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.tsplayTree).toEqual(run.ansibleTree);
      // The same on a connection where the module takes its remote (SSH) paths.
      run.ansible.forEach((expected, i) => expect(run.scripted!.results[i], `scripted, step ${i}: ${JSON.stringify(oracleCase.steps[i]!.args)}`).toEqual(expected));
      expect(run.scripted!.tree).toEqual(run.ansibleTree);
    });
  }
});
