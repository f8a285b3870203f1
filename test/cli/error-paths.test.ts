// Bad input through the command line, compared with ansible-playbook on the same files:
// the same exit code, the message Ansible gives (or tsplay's documented own), a source
// position where the problem has one, nothing run when Ansible finds the problem before
// the run, and never a crash (see test/fuzz/invariants.ts).
//
// Where tsplay deliberately differs from Ansible the case says so (`deviation`), with the
// reason; ansible-playbook still runs, so the test notices when Ansible's own behaviour
// changes.
import { describe, expect, it } from 'vitest';
import { checkRun } from '../fuzz/invariants.js';
import { runBoth } from './oracle.js';

interface ErrorCase {
  name: string;
  files: Record<string, string>;
  args: string[];
  env?: Record<string, string>;
  /** ansible-playbook's exit code for these files (checked against the live run). */
  code: number;
  /** A message both print (stdout or stderr). */
  message: RegExp;
  /** tsplay's message when it words it differently from Ansible. */
  tsplayMessage?: RegExp;
  /** Ansible refuses before any host is touched: no PLAY banner in either output. */
  beforeRun?: boolean;
  /** tsplay's position of the problem: `file`:`line` in "The error appears to be in ...". */
  position?: { file: string; line: number };
  /** tsplay differs on purpose: its exit code, and why. */
  deviation?: { code: number; beforeRun?: boolean; why: string };
  /** tsplay's position of the problem is not Ansible's (the case says why). */
  otherPosition?: boolean;
}

const PLAY = (tasks: string, extra = ''): string => `- hosts: localhost\n  gather_facts: false\n${extra}  tasks:\n${tasks}`;
const LOCAL = ['-i', 'localhost,', '-c', 'local'];

const CASES: ErrorCase[] = [
  {
    name: 'malformed YAML: a list item indented differently',
    files: { 'site.yml': PLAY('    - debug: msg=one\n     - debug: msg=two\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /Syntax Error while loading YAML/,
    beforeRun: true,
    position: { file: 'site.yml', line: 4 },
  },
  {
    name: 'malformed YAML: an unbalanced quote',
    files: { 'site.yml': PLAY('    - debug:\n        msg: "unterminated\n    - debug: msg=two\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /Syntax Error while loading YAML/,
    beforeRun: true,
    position: { file: 'site.yml', line: 7 },
  },
  {
    name: 'malformed YAML: a tab for indentation',
    files: { 'site.yml': '- hosts: localhost\n\tgather_facts: false\n  tasks: []\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /Syntax Error while loading YAML/,
    beforeRun: true,
    position: { file: 'site.yml', line: 2 },
  },
  {
    name: 'an empty playbook',
    files: { 'site.yml': '# nothing here\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /Empty playbook, nothing to do: <dir>\/site\.yml/,
    beforeRun: true,
  },
  {
    name: 'a playbook that is a mapping',
    files: { 'site.yml': 'hosts: localhost\ntasks: []\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /A playbook must be a list of plays, got a <class 'ansible\.parsing\.yaml\.objects\.AnsibleMapping'> instead/,
    beforeRun: true,
    position: { file: 'site.yml', line: 1 },
  },
  {
    name: 'a play without hosts',
    files: { 'site.yml': '- gather_facts: false\n  tasks: []\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /the field 'hosts' is required but was not set/,
    beforeRun: true,
    position: { file: 'site.yml', line: 1 },
  },
  {
    name: 'when: {} (Ansible reads an empty mapping as false and skips)',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n      when: {}\n') },
    args: [...LOCAL, 'site.yml'],
    code: 0,
    message: /skipping: \[localhost\]/,
  },
  {
    name: 'loop: 3 (found when the task runs)',
    files: { 'site.yml': PLAY('    - debug: msg={{ item }}\n      loop: 3\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /Invalid data passed to 'loop', it requires a list, got this instead: 3\./,
  },
  {
    name: 'register: a list',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n      register: [out]\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /The field 'register' is supposed to be a string type, however the incoming data structure is a <class 'ansible\.parsing\.yaml\.objects\.AnsibleSequence'>/,
    beforeRun: true,
    position: { file: 'site.yml', line: 4 },
  },
  {
    name: 'tags: a mapping',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n      tags: {a: 1}\n') },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /tags must be specified as a list/,
    beforeRun: true,
  },
  {
    name: 'vars: a number',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n      vars: 3\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /Vars in a Task must be specified as a dictionary, or a list of dictionaries/,
    beforeRun: true,
  },
  {
    name: 'loop_control: a string',
    files: { 'site.yml': PLAY('    - debug: msg={{ item }}\n      loop: [1]\n      loop_control: item\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /the `loop_control` value must be specified as a dictionary and cannot be a variable itself/,
    beforeRun: true,
  },
  {
    name: 'gather_facts: not a boolean',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: sometimes\n  tasks: []\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /the field 'gather_facts' has an invalid value \(sometimes\), and could not be converted to an bool/,
    beforeRun: true,
  },
  {
    name: 'an unknown keyword on a play',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  taks: []\n' },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /'taks' is not a valid attribute for a Play/,
    beforeRun: true,
    position: { file: 'site.yml', line: 1 },
  },
  {
    name: 'an unknown module',
    files: { 'site.yml': PLAY('    - no_such_module:\n        x: 1\n') },
    args: [...LOCAL, 'site.yml'],
    code: 4,
    message: /couldn't resolve module\/action 'no_such_module'/,
    beforeRun: true,
    position: { file: 'site.yml', line: 4 },
  },
  {
    name: 'an unknown module argument',
    files: { 'site.yml': PLAY('    - file:\n        path: /tmp/x\n        bogus: 1\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /Unsupported parameters for \(file\) module: bogus/,
    position: { file: 'site.yml', line: 4 },
    deviation: { code: 1, beforeRun: true, why: 'tsplay validates literal module arguments before the run (issue 5); Ansible finds them on the host' },
  },
  {
    name: 'an undefined variable in a module argument',
    files: { 'site.yml': PLAY('    - debug:\n        msg: "{{ nope }}"\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /The task includes an option with an undefined variable\. The error was: 'nope' is undefined/,
  },
  {
    name: 'an undefined variable in when',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n      when: nope > 1\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /The conditional check 'nope > 1' failed\. The error was: error while evaluating conditional \(nope > 1\): 'nope' is undefined/,
  },
  {
    name: 'a Jinja syntax error in a module argument',
    files: { 'site.yml': PLAY('    - debug:\n        msg: "{{ 1 + }}"\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /template error while templating string/,
  },
  {
    name: 'a templated import name that does not render',
    files: { 'site.yml': PLAY('    - import_tasks: "{% if %}"\n') },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /template error while templating string: Expected an expression, got 'end of statement block'/,
    beforeRun: true,
  },
  {
    name: 'import_tasks of a missing file',
    files: { 'site.yml': PLAY('    - import_tasks: missing.yml\n') },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /Could not find or access '(<dir>\/)?missing\.yml' on the Ansible Controller/,
    beforeRun: true,
  },
  {
    name: 'include_tasks of a missing file (found when the task runs)',
    files: { 'site.yml': PLAY('    - include_tasks: missing.yml\n') },
    args: [...LOCAL, 'site.yml'],
    code: 2,
    message: /Could not find or access '<dir>\/missing\.yml' on the Ansible Controller/,
  },
  {
    name: 'a missing vars file',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n', '  vars_files: [missing.yml]\n') },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /vars file missing\.yml was not found/,
    deviation: { code: 1, beforeRun: false, why: 'both print the PLAY banner first' },
  },
  {
    name: 'a vars_files entry that is a mapping',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n', '  vars_files: [{a: 1}]\n') },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /Invalid vars_files entry found: \{'a': 1\}/,
    beforeRun: true,
  },
  {
    name: 'a missing role',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles: [nosuchrole]\n' },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /the role 'nosuchrole' was not found in <dir>\/roles:/,
    beforeRun: true,
    position: { file: 'site.yml', line: 3 },
  },
  {
    name: 'a missing playbook',
    files: {},
    args: [...LOCAL, 'missing.yml'],
    code: 1,
    message: /the playbook: missing\.yml could not be found/,
    beforeRun: true,
  },
  {
    name: 'roles that depend on each other',
    files: {
      'site.yml': '- hosts: localhost\n  gather_facts: false\n  roles: [ra]\n',
      'roles/ra/meta/main.yml': 'dependencies: [rb]\n',
      'roles/ra/tasks/main.yml': '- debug: msg=a\n',
      'roles/rb/meta/main.yml': 'dependencies:\n  - ra\n',
      'roles/rb/tasks/main.yml': '- debug: msg=b\n',
    },
    args: [...LOCAL, 'site.yml'],
    code: 1,
    message: /A recursion loop was detected with the roles specified\. Make sure child roles do not have dependencies on parent roles/,
    beforeRun: true,
    position: { file: 'roles/rb/meta/main.yml', line: 2 },
    // Ansible points wherever its recursion limit was hit (here ra's meta); tsplay at the dependency closing the loop.
    otherPosition: true,
  },
  {
    name: 'tasks files that import each other',
    files: {
      'site.yml': PLAY('    - import_tasks: a.yml\n'),
      'a.yml': '- import_tasks: b.yml\n',
      'b.yml': '- debug:\n    msg: b\n- import_tasks: a.yml\n',
    },
    args: [...LOCAL, 'site.yml'],
    code: 250,
    message: /Unexpected Exception, this is probably a bug: maximum recursion depth exceeded/,
    tsplayMessage: /A recursion loop was detected with the tasks files imported: a\.yml -> b\.yml -> a\.yml/,
    beforeRun: true,
    position: { file: 'b.yml', line: 3 },
    deviation: { code: 1, beforeRun: true, why: 'Ansible crashes on the recursion; tsplay names the loop (an AnsibleError-style exit 1, as for roles)' },
  },
  {
    name: 'an inventory that cannot be parsed (Ansible warns and goes on with localhost)',
    files: { 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n', 'hosts.ini': '[web\nweb1 ansible_host=\n' },
    args: ['-i', 'hosts.ini', 'site.yml'],
    code: 0,
    message: /Unable to parse <dir>\/hosts\.ini as an inventory source/,
  },
  {
    name: 'an inventory that cannot be parsed, with unparsed inventories an error',
    files: { 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n', 'hosts.ini': '[web\nweb1 ansible_host=\n' },
    args: ['-i', 'hosts.ini', 'site.yml'],
    env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True' },
    code: 1,
    message: /No inventory was parsed, please check your configuration and options/,
    beforeRun: true,
  },
  {
    name: 'a YAML inventory with a syntax error',
    files: { 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n', 'hosts.yml': 'all:\n  hosts:\n    web1: {ansible_host: [\n' },
    args: ['-i', 'hosts.yml', 'site.yml'],
    code: 0,
    message: /Unable to parse <dir>\/hosts\.yml as an inventory source/,
  },
  {
    name: '--limit that matches no host',
    files: { 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n' },
    args: [...LOCAL, 'site.yml', '-l', 'nosuchhost'],
    code: 1,
    message: /Specified inventory, host pattern and\/or --limit leaves us with no hosts to target/,
    beforeRun: true,
  },
  {
    name: '-e with bad JSON',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n') },
    args: [...LOCAL, 'site.yml', '-e', '{"a": 1,'],
    code: 4,
    message: /Syntax Error while loading YAML/,
    beforeRun: true,
    // Ansible reports the end of its combined JSON/YAML attempt in '<string>'; tsplay the YAML error in '<extra-vars 1>'.
    otherPosition: true,
  },
  {
    name: '-e with a JSON list',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n') },
    args: [...LOCAL, 'site.yml', '-e', '[1, 2]'],
    code: 5,
    message: /Invalid extra vars data supplied\. '\[1, 2\]' could not be made into a dictionary/,
    beforeRun: true,
  },
  {
    name: '-e @file that does not exist',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n') },
    args: [...LOCAL, 'site.yml', '-e', '@missing.json'],
    code: 1,
    message: /Could not find or access '<dir>\/missing\.json' on the Ansible Controller/,
    beforeRun: true,
  },
  {
    name: '-e @file with broken YAML',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n'), 'vars.yml': 'a: [1, 2\nb: 3\n' },
    args: [...LOCAL, 'site.yml', '-e', '@vars.yml'],
    code: 4,
    message: /Syntax Error while loading YAML/,
    beforeRun: true,
  },
  {
    name: 'an option that needs a number',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n') },
    args: [...LOCAL, 'site.yml', '-f', 'many'],
    code: 2,
    message: /error: argument -f\/--forks: invalid int value: 'many'/,
    beforeRun: true,
  },
  {
    name: 'an unknown option',
    files: { 'site.yml': PLAY('    - debug: msg=hi\n') },
    args: [...LOCAL, 'site.yml', '--frobnicate'],
    code: 2,
    message: /error: unrecognized arguments: --frobnicate/,
    beforeRun: true,
  },
];

const hasPlayBanner = (text: string) => /^PLAY \[/m.test(text);
/** Messages are compared with their line wrapping undone (warnings wrap at 80 columns). */
const flat = (text: string) => text.replace(/\s+/g, ' ');
/** file:line of the first "The error appears to be in" paragraph (not one quoted inside a warning). */
const position = (text: string) => /^The error appears to be in '([^']+)': line (\d+), column \d+/m.exec(text)?.slice(1, 3).join(':');

describe('bad input through the command line, compared with ansible-playbook', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { ansible, tsplay } = await runBoth(c.files, c.args, c.env);
      const ansibleText = `${ansible.stdout}\n${ansible.stderr}`;
      const tsplayText = `${tsplay.stdout}\n${tsplay.stderr}`;
      expect(ansible.code, `ansible-playbook's exit code changed:\n${ansibleText}`).toBe(c.code);
      expect(flat(ansibleText)).toMatch(c.message);
      expect(tsplay.code, tsplayText).toBe(c.deviation?.code ?? c.code);
      expect(flat(tsplayText)).toMatch(c.tsplayMessage ?? c.message);
      expect(checkRun(tsplay), tsplayText).toEqual([]);
      const beforeRun = c.deviation?.beforeRun ?? c.beforeRun;
      if (c.beforeRun !== undefined && c.deviation?.beforeRun === undefined) {
        expect(hasPlayBanner(ansible.stdout), ansibleText).toBe(!c.beforeRun);
      }
      if (beforeRun !== undefined) expect(hasPlayBanner(tsplay.stdout), tsplayText).toBe(!beforeRun);
      if (c.position) {
        expect(tsplayText).toContain(`The error appears to be in '<dir>/${c.position.file}': line ${c.position.line},`);
        expect(tsplayText).toMatch(/The offending line appears to be:\n\n[\s\S]*\^ here/);
      }
      // Where both point into the files, they point at the same line.
      const ansibleAt = position(ansibleText);
      if (ansibleAt && position(tsplayText) && !c.deviation && !c.otherPosition) expect(position(tsplayText)).toBe(ansibleAt);
    });
  }
});
