// Bad input the engine (src/executor, not the loaders) still handles differently from
// ansible-playbook. Each test runs both on the same files and expects Ansible's exit code
// and message; they fail until the engine is fixed. The fix each needs is in its `fix`.
// The fuzz test knows these by their messages (KNOWN_ENGINE_GAPS in
// test/fuzz/invariants.ts): remove a gap there once its test here passes.
import { describe, expect, it } from 'vitest';
import { checkRun } from '../fuzz/invariants.js';
import { runBoth } from './oracle.js';

interface Gap {
  name: string;
  /** What the engine must change (file and behaviour). */
  fix: string;
  files: Record<string, string>;
  args: string[];
  /** ansible-playbook's exit code (checked against the live run unless `recorded`). */
  code: number;
  /** What Ansible prints (whitespace-flattened text). */
  message: RegExp;
  /** ansible-playbook's output, recorded from 2.14, where a live run takes too long. */
  recorded?: string;
}

const task = (lines: string): Record<string, string> => ({
  'site.yml': `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n${lines}    - debug: msg=after\n`,
});
const LOCAL = ['-i', 'localhost,', '-c', 'local', 'site.yml'];

const GAPS: Gap[] = [
  {
    name: 'include_tasks that includes itself without end ends the run with an error',
    fix: 'src/executor/includes.ts loadIncluded catches every TsplayError as a host failure; the loader\'s "Exceeded maximum object depth" (src/playbook/loader/recursion.ts checkIncludeDepth) must end the run with ERROR! and exit 1, as Ansible does',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - include_tasks: again.yml\n', 'again.yml': '- include_tasks: again.yml\n' },
    args: LOCAL,
    code: 1,
    message: /ERROR! Exceeded maximum object depth\. This may have been caused by excessive role recursion/,
    // Ansible recurses ~250 includes deep before it gives up, which takes it up to a minute.
    recorded: 'ERROR! Exceeded maximum object depth. This may have been caused by excessive role recursion. maximum recursion depth exceeded',
  },
  {
    name: 'register with a name that is not an identifier fails the task and the run',
    fix: "the task executor must refuse a register name that is not a Python identifier when the task runs: fatal result \"Invalid variable name in 'register' specified: '3'\", then ERROR! with the same text and exit 1",
    files: task('      register: 3\n'),
    args: LOCAL,
    code: 1,
    message: /ERROR! Invalid variable name in 'register' specified: '3'/,
  },
  {
    name: 'a keyword that is not a boolean is reported in Python notation',
    fix: "src/executor/task-settings.ts: the message must read \"the field 'check_mode' has an invalid value ([1]), and could not be converted to an bool.The error was: unhashable type: 'list'\" (values through pyStr, never String(), which prints [object Object])",
    files: task('      check_mode: [1]\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'check_mode' has an invalid value \(\[1\]\), and could not be converted to an bool\.The error was: unhashable type: 'list'/,
  },
  {
    name: 'ignore_errors that is not a boolean still ignores the failure it causes',
    fix: 'src/executor/task-settings.ts: as Ansible, the conversion failure of ignore_errors is reported as the task result and then ignored (...ignoring, exit 0)',
    files: task('      ignore_errors: {a: 1}\n'),
    args: LOCAL,
    code: 0,
    message: /the field 'ignore_errors' has an invalid value \(\{'a': 1\}\), and could not be converted to an bool[\s\S]*\.\.\.ignoring/,
  },
  {
    name: 'no_log that is not a boolean still hides the result',
    fix: 'src/executor/task-settings.ts / task-executor.ts: when no_log cannot be converted, censor the result (Ansible does): a failing no_log must never show its message',
    files: task('      no_log: [1]\n'),
    args: LOCAL,
    code: 2,
    message: /fatal: \[localhost\]: FAILED! => \{"censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result"\}/,
  },
  {
    name: 'retries that is not an integer fails the task',
    fix: "src/executor/task-executor.ts / task-settings.ts: convert retries, delay, timeout, port and throttle with int() semantics and fail the task with \"the field 'retries' has an invalid value (abc), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'abc'\"",
    files: task('      retries: abc\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'retries' has an invalid value \(abc\), and could not be converted to an int\.The error was: invalid literal for int\(\) with base 10: 'abc'/,
  },
  {
    name: 'timeout that is not an integer fails the task',
    fix: 'as for retries (src/executor/task-settings.ts)',
    files: task('      timeout: abc\n'),
    args: LOCAL,
    code: 2,
    message: /the field 'timeout' has an invalid value \(abc\), and could not be converted to an int/,
  },
  {
    name: 'environment that is not a mapping is skipped with a warning',
    fix: 'src/executor/task-settings.ts: a non-mapping environment entry is skipped with "[WARNING]: could not parse environment value, skipping: [3]" (the whole list in Python notation), the task runs',
    files: task('      environment: 3\n'),
    args: LOCAL,
    code: 0,
    message: /\[WARNING\]: could not parse environment value, skipping: \[3\]/,
  },
  {
    name: 'a loop over a boolean names it in Python notation',
    fix: "src/executor/task-executor.ts loopItems: print the value with pyStr (True, {'a': 1}), not JSON",
    files: task('      loop: true\n'),
    args: LOCAL,
    code: 2,
    message: /Invalid data passed to 'loop', it requires a list, got this instead: True\./,
  },
  {
    name: 'a templated gather_facts that is not a boolean is a parser error, not a crash',
    fix: "src/executor/play-executor.ts: template gather_facts (and force_handlers) with the play's vars, and report a value that is not a boolean as \"the field 'gather_facts' has an invalid value ({{ x }}), and could not be converted to an bool.The error was: The value 'maybe' is not a valid boolean...\" (exit 4), never a NotABooleanError",
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: "{{ x }}"\n  vars: {x: maybe}\n  tasks: []\n' },
    args: LOCAL,
    code: 4,
    message: /the field 'gather_facts' has an invalid value \(\{\{ x \}\}\), and could not be converted to an bool\.The error was: The value 'maybe' is not a valid boolean/,
  },
  {
    name: 'a NUL byte in a path fails the task with Python\'s message, not a JavaScript one',
    fix: 'src/connection (local and SSH file operations) or the file modules: refuse a path with a NUL byte with "embedded null byte" (the ValueError Ansible\'s module raises), instead of letting Node\'s ERR_INVALID_ARG_VALUE through as "Unexpected failure during module execution"',
    files: { 'site.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - file:\n        path: "{{ playbook_dir }}/a\\x00b"\n        state: touch\n' },
    args: LOCAL,
    code: 2,
    message: /embedded null byte/,
  },
];

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('engine gaps: bad input the executor still handles differently from ansible-playbook', () => {
  for (const gap of GAPS) {
    it(gap.name, async () => {
      const { ansible: live, tsplay } = await runBoth(gap.files, gap.args, {}, { skipAnsible: gap.recorded !== undefined });
      const ansible = gap.recorded === undefined ? live : { code: gap.code, stdout: '', stderr: gap.recorded };
      expect(ansible.code, `ansible-playbook changed:\n${ansible.stdout}\n${ansible.stderr}`).toBe(gap.code);
      expect(flat(`${ansible.stdout}\n${ansible.stderr}`)).toMatch(gap.message);
      const text = `${tsplay.stdout}\n${tsplay.stderr}`;
      expect(checkRun(tsplay), `${gap.fix}\n${text}`).toEqual([]);
      expect(tsplay.code, `${gap.fix}\n${text}`).toBe(gap.code);
      expect(flat(text), gap.fix).toMatch(gap.message);
    });
  }
});
