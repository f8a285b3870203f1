// Bad input only the engine (src/executor, not the loaders) can judge: keywords that do
// not convert once templated, register names, environment entries, loops over non-lists,
// templated play keywords, NUL bytes in paths, includes without end; and the keywords the
// strategy reads as written (run_once, any_errors_fatal, throttle). Each case runs
// ansible-playbook and tsplay on the same files and expects Ansible's exit code and
// message; `engine` names the code responsible for the behaviour.
import { describe, expect, it } from 'vitest';
import { checkRun } from '../fuzz/invariants.js';
import { runBoth } from './oracle.js';

interface ExecutorErrorCase {
  name: string;
  /** Where the engine gives this behaviour (file and what it does). */
  engine: string;
  files: Record<string, string>;
  args: string[];
  /** ansible-playbook's exit code (checked against the live run unless `recorded`). */
  code: number;
  /** What Ansible prints (whitespace-flattened text). */
  message: RegExp;
  /** Text neither prints (whitespace-flattened). */
  absent?: RegExp;
  /** ansible-playbook's output, recorded from 2.14, where a live run takes too long. */
  recorded?: string;
}

const task = (lines: string): Record<string, string> => ({
  'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n${lines}    - debug: msg=after\n`,
});
const LOCAL = ['-i', 'localhost,', '-c', 'local', 'site.yml'];
const SETTINGS = 'src/executor/task-settings.ts';
const TWO_HOSTS = { inv: 'a ansible_connection=local\nb ansible_connection=local\n' };

const CASES: ExecutorErrorCase[] = [
  {
    name: 'include_tasks that includes itself without end ends the run with an error',
    engine: 'src/playbook/loader/recursion.ts IncludeDepthError, which src/executor/includes.ts lets through: ERROR! and exit 1, not a host failure',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - include_tasks: again.yml\n', 'again.yml': '- include_tasks: again.yml\n' },
    args: LOCAL,
    code: 1,
    message: /included: \S+again\.yml for localhost ERROR! Exceeded maximum object depth\. This may have been caused by excessive role recursion\. maximum recursion depth exceeded/,
    // Ansible recurses ~250 includes deep before it gives up, which takes it up to a minute.
    recorded: 'included: <dir>/again.yml for localhost\nERROR! Exceeded maximum object depth. This may have been caused by excessive role recursion. maximum recursion depth exceeded',
  },
  {
    name: 'register with a name that is not an identifier fails the task and the run',
    engine: 'src/executor/register-name.ts: the task executor checks the name once the module ran (fatal), the result processing again (ERROR!, exit 1)',
    files: task('      register: 3\n'),
    args: LOCAL,
    code: 1,
    message: /fatal: \[localhost\]: FAILED! => \{"msg": "Invalid variable name in 'register' specified: '3'"\} ERROR! Invalid variable name in 'register' specified: '3'/,
  },
  {
    name: 'a skipped task with a bad register name still ends the run',
    engine: 'src/executor/register-name.ts, checked by the result processing whatever the result',
    files: task('      register: foo-bar\n      when: false\n'),
    args: LOCAL,
    code: 1,
    message: /skipping: \[localhost\] ERROR! Invalid variable name in 'register' specified: 'foo-bar'/,
  },
  {
    name: 'a keyword that is not a boolean is reported in Python notation',
    engine: `${SETTINGS}: a play context field (check_mode) that does not convert, its cause repeated and no position`,
    files: task('      check_mode: [1]\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'check_mode' has an invalid value \(\[1\]\), and could not be converted to an bool\.The error was: unhashable type: 'list'\. unhashable type: 'list'"\}/,
  },
  {
    name: 'a play context field with an undefined variable names the field',
    engine: `${SETTINGS}: an undefined variable in a play context field`,
    files: task('      check_mode: "{{ nope }}"\n'),
    args: LOCAL,
    code: 2,
    message: /The field 'check_mode' has an invalid value, which includes an undefined variable\. The error was: 'nope' is undefined\. 'nope' is undefined\. 'nope' is undefined\. 'nope' is undefined"\}/,
  },
  {
    name: 'a keyword that does not convert is no error when the task is skipped',
    engine: `${SETTINGS}: conversion errors are raised after 'when'`,
    files: task('      check_mode: [1]\n      when: false\n'),
    args: LOCAL,
    code: 0,
    message: /skipping: \[localhost\]/,
  },
  {
    name: 'ignore_errors that is not a boolean still ignores the failure it causes',
    engine: `${SETTINGS}: a task field that does not convert fails the task (with its position) and is used as written, for its truth`,
    files: task('      ignore_errors: {a: 1}\n'),
    args: LOCAL,
    code: 0,
    message: /the field 'ignore_errors' has an invalid value \(\{'a': 1\}\), and could not be converted to an bool[\s\S]*\.\.\.ignoring/,
  },
  {
    name: 'an empty ignore_errors list fails the run: its truth is false',
    engine: `${SETTINGS}: the truth of a field that does not convert`,
    files: task('      ignore_errors: []\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'ignore_errors' has an invalid value \(\[\]\), and could not be converted to an bool\.The error was: unhashable type: 'list'\\n\\nThe error appears to be in '<dir>\/site\.yml': line 4, column 7/,
    absent: /\.\.\.ignoring/,
  },
  {
    name: 'no_log that is not a boolean still hides the result',
    engine: `${SETTINGS}: the failed result is censored when the unconverted no_log is true`,
    files: task('      no_log: [1]\n'),
    args: LOCAL,
    code: 2,
    message: /fatal: \[localhost\]: FAILED! => \{"censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result"\}/,
  },
  {
    name: 'an empty no_log list shows its error: its truth is false',
    engine: `${SETTINGS}: the truth of a field that does not convert`,
    files: task('      no_log: []\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'no_log' has an invalid value \(\[\]\), and could not be converted to an bool/,
  },
  {
    name: 'retries that is not an integer fails the task',
    engine: `${SETTINGS}: int() of retries, delay, async, poll, timeout and port`,
    files: task('      retries: abc\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'retries' has an invalid value \(abc\), and could not be converted to an int\.The error was: invalid literal for int\(\) with base 10: 'abc'/,
  },
  {
    name: 'timeout that is not an integer fails the task',
    engine: `${SETTINGS}: int() of timeout`,
    files: task('      timeout: abc\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'timeout' has an invalid value \(abc\), and could not be converted to an int/,
  },
  {
    name: 'async that is not an integer is reported under its field name async_val',
    engine: `${SETTINGS}: int() of async`,
    files: task('      async: "{{ \'abc\' }}"\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'async_val' has an invalid value \(\{\{ 'abc' \}\}\), and could not be converted to an int\.The error was: invalid literal for int\(\) with base 10: 'abc'/,
  },
  {
    name: 'a throttle that is not an integer ends the run',
    engine: 'src/executor/play-iteration.ts throttleFor: the strategy converts throttle before it runs the task',
    files: task('      throttle: abc\n'),
    args: LOCAL,
    code: 1,
    message: /TASK \[debug\] \*+ ERROR! Failed to convert the throttle value to an integer\. The error appears to be in '<dir>\/site\.yml': line 4, column 7/,
  },
  {
    name: 'run_once with an undefined variable ends the run before the task',
    engine: 'src/executor/play-iteration.ts runsOnce: the strategy templates run_once before the task banner',
    files: task('      run_once: "{{ nope }}"\n'),
    args: LOCAL,
    code: 1,
    message: /PLAY \[localhost\] \*+ ERROR! 'nope' is undefined\. 'nope' is undefined/,
  },
  {
    name: 'any_errors_fatal is read as written by the strategy: a template is true',
    engine: 'src/executor/strategies/failure-checks.ts: the truth of the untemplated any_errors_fatal',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - fail: msg=x\n      any_errors_fatal: "{{ false }}"\n    - debug: msg=after\n' },
    args: LOCAL,
    code: 2,
    message: /fatal: \[localhost\]: FAILED! => \{"changed": false, "msg": "x"\} NO MORE HOSTS LEFT/,
  },
  {
    name: 'a run_once task that fails ends the batch for every host',
    engine: 'src/executor/strategies/failure-checks.ts: a task that ran once for all hosts counts as any_errors_fatal',
    files: { ...TWO_HOSTS, 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: msg=x\n      run_once: true\n    - debug: msg=after\n' },
    args: ['-i', 'inv', 'site.yml'],
    code: 2,
    message: /fatal: \[a\]: FAILED! => \{"changed": false, "msg": "x"\} NO MORE HOSTS LEFT \*+ PLAY RECAP \*+ a : ok=0 changed=0 unreachable=0 failed=1/,
    absent: /after/,
  },
  {
    name: 'a run_once failure that a rescue handles ends nothing',
    engine: 'src/executor/strategies/failure-checks.ts: a host that walks on into rescue or always has not failed yet',
    files: {
      ...TWO_HOSTS,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - block:\n        - fail: msg=x\n          run_once: true\n      rescue:\n        - debug: msg=rescued\n    - debug: msg=after\n',
    },
    args: ['-i', 'inv', 'site.yml'],
    code: 0,
    // (Hosts report in the order they finish: only the recap is compared.)
    message: /PLAY RECAP \*+ a : ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=1 ignored=0 b : ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0/,
    absent: /NO MORE HOSTS LEFT/,
  },
  {
    name: 'an undefined delegate_to fails the task naming the field',
    engine: `${SETTINGS}: delegate_to is a task field; the label shows it as written`,
    files: task('      delegate_to: "{{ nope }}"\n'),
    args: LOCAL,
    code: 2,
    message: /fatal: \[localhost -> \{\{ nope \}\}\]: FAILED! => \{"msg": "The field 'delegate_to' has an invalid value, which includes an undefined variable\. The error was: 'nope' is undefined\. 'nope' is undefined/,
  },
  {
    name: 'environment that is not a mapping is skipped with a warning',
    engine: `${SETTINGS}: an environment entry that is no mapping is skipped with a warning naming the whole list; the task runs`,
    files: task('      environment: 3\n'),
    args: LOCAL,
    code: 0,
    message: /\[WARNING\]: could not parse environment value, skipping: \[3\]/,
  },
  {
    name: 'the mappings of an environment list still apply when another entry is skipped',
    engine: `${SETTINGS}: environment entries one by one`,
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - shell: test "$a" = 1\n      environment: [3, {a: 1}]\n' },
    args: LOCAL,
    code: 0,
    // The result goes to stdout, the warning to stderr (they are compared one after the other).
    message: /changed: \[localhost\][\s\S]*\[WARNING\]: could not parse environment value, skipping: \[3, \{'a': 1\}\]/,
  },
  {
    name: 'a loop over a boolean names it in Python notation',
    engine: 'src/executor/task-executor.ts loopItems: the value through pyStr',
    files: task('      loop: true\n'),
    args: LOCAL,
    code: 2,
    message: /Invalid data passed to 'loop', it requires a list, got this instead: True\./,
  },
  {
    name: 'a templated gather_facts that is not a boolean is a parser error, not a crash',
    engine: "src/executor/play-executor.ts playBoolean: gather_facts and force_handlers templated with the play's vars",
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: "{{ x }}"\n  vars: {x: maybe}\n  tasks: []\n' },
    args: LOCAL,
    code: 4,
    message: /the field 'gather_facts' has an invalid value \(\{\{ x \}\}\), and could not be converted to an bool\.The error was: The value 'maybe' is not a valid boolean/,
  },
  {
    name: 'a templated gather_facts with an undefined variable is a parser error',
    engine: 'src/executor/play-executor.ts playBoolean: no host variables, an undefined variable names the field',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: "{{ y }}"\n  tasks: []\n' },
    args: LOCAL,
    code: 4,
    message: /ERROR! The field 'gather_facts' has an invalid value, which includes an undefined variable\. The error was: 'y' is undefined\. 'y' is undefined The error appears to be in '<dir>\/site\.yml': line 1, column 3/,
  },
  {
    name: "a NUL byte in a path fails the task with Python's message, not a JavaScript one",
    engine: "src/executor/module-crash.ts: Node's refusal of a NUL byte is Python's ValueError, reported as MODULE FAILURE",
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - file:\n        path: "{{ playbook_dir }}/a\\x00b"\n        state: touch\n' },
    args: LOCAL,
    code: 2,
    message: /The error was: ValueError: embedded null byte fatal: \[localhost\]: FAILED! => \{"changed": false, "module_stderr": "Traceback(?:[^"\\]|\\.)*ValueError: embedded null byte\\n", "module_stdout": "", "msg": "MODULE FAILURE\\nSee stdout\/stderr for the exact error", "rc": 1\}/,
  },
];

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('executor errors: bad input the engine judges, as ansible-playbook does', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { ansible: live, tsplay } = await runBoth(c.files, c.args, {}, { skipAnsible: c.recorded !== undefined });
      const ansible = c.recorded === undefined ? live : { code: c.code, stdout: '', stderr: c.recorded };
      const ansibleText = flat(`${ansible.stdout}\n${ansible.stderr}`);
      expect(ansible.code, `ansible-playbook changed:\n${ansible.stdout}\n${ansible.stderr}`).toBe(c.code);
      expect(ansibleText).toMatch(c.message);
      const text = `${tsplay.stdout}\n${tsplay.stderr}`;
      expect(checkRun(tsplay), `${c.engine}\n${text}`).toEqual([]);
      expect(tsplay.code, `${c.engine}\n${text}`).toBe(c.code);
      expect(flat(text), c.engine).toMatch(c.message);
      if (c.absent) {
        expect(ansibleText).not.toMatch(c.absent);
        expect(flat(text), c.engine).not.toMatch(c.absent);
      }
    });
  }
});
