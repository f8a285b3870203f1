// The variable a task registers its result in. Ansible accepts any value when it loads
// the task and checks the name when it stores a result: a name that is not a Python
// identifier fails the task and then stops the run.
import { TsplayError } from '../errors.js';
import { pythonTruthy } from '../playbook/field-conversion.js';
import type { Task } from '../playbook/task.js';
import { pyStr } from '../template/runtime/repr.js';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Ansible's isidentifier(): an ASCII Python identifier that is not a keyword. */
export function isVariableName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** The task's register name (undefined without one), or Ansible's error for a name that cannot be one. */
export function registerName(task: Task): string | undefined {
  const name = task.keywords.register;
  if (!pythonTruthy(name)) return undefined;
  if (!isVariableName(name)) throw new TsplayError(`Invalid variable name in 'register' specified: '${pyStr(name)}'`);
  return name;
}
