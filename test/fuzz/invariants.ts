// What every run of tsplay on a bad input must look like, whatever the input: an exit
// code ansible-playbook could give, a message saying what was wrong, and no sign that
// the input broke tsplay itself (an Unexpected Exception, a stack trace, a JavaScript
// error text leaking into a message, a hang).
import type { CliRun } from './in-process-cli.js';

/** Texts that only appear when tsplay's own code failed. */
const CRASH_SIGNS: [string, RegExp][] = [
  ['unexpected exception', /Unexpected Exception/],
  ['stack trace', /^\s+at (?:async )?\S.*[(/].*:\d+:\d+\)?$/m],
  ['JavaScript error in a message', /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Maximum call stack|Invalid array length|Invalid string length|undefined is not|null is not|Cannot convert undefined or null|Cannot convert object to primitive|\[object Object\]|RangeError|TypeError:|ReferenceError|SyntaxError: Unexpected token|Unexpected failure during module execution/],
];

const PLAUSIBLE_CODES = new Set([0, 1, 2, 4, 5]);

/**
 * Problems the engine (src/executor, src/connection, src/modules) still has, each with a
 * failing test (named in the comment above its entries). The fuzz test counts them apart
 * instead of failing on them; remove an entry when its test passes.
 */
export const KNOWN_ENGINE_GAPS: [string, RegExp][] = [];

/** The engine gap a problem is, if it is a known one. */
export function knownGap(problem: string): string | undefined {
  return KNOWN_ENGINE_GAPS.find(([, pattern]) => pattern.test(problem))?.[0];
}

/** The problems of one run (empty when it behaved). */
export function checkRun(run: CliRun): string[] {
  const problems: string[] = [];
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.hung) problems.push(`did not finish within the time limit (interrupted, exit ${run.code})`);
  for (const escaped of run.escaped) problems.push(`escaped main(): ${escaped.split('\n')[0]}`);
  if (!PLAUSIBLE_CODES.has(run.code)) problems.push(`exit code ${run.code} is not one ansible-playbook gives for bad input`);
  for (const [what, pattern] of CRASH_SIGNS) {
    const match = pattern.exec(output);
    if (match) problems.push(`${what}: ${lineAround(output, match.index)}`);
  }
  // The default callback's recap, or the json callback's document.
  const ran = /PLAY RECAP/.test(run.stdout) || /^\s*"stats": \{/m.test(run.stdout);
  const hostFailed = /^(fatal|failed): \[/m.test(run.stdout) || /"(failures|unreachable)": [1-9]/.test(run.stdout);
  const listed = /^\s*playbook: /m.test(run.stdout);
  const usage = /^usage: /m.test(run.stderr) && /: error: /.test(run.stderr);
  if (run.code === 0 && !ran && !listed) problems.push('exit 0 without running or listing anything');
  if (run.code === 2 && !usage && !((ran && hostFailed) || /^ERROR! /m.test(run.stderr))) {
    problems.push('exit 2 without a failed host or a usage error');
  }
  if ((run.code === 1 || run.code === 5) && !/^ERROR[!:] \S/m.test(run.stderr) && !hostFailed) {
    problems.push(`exit ${run.code} without an error message`);
  }
  if (run.code === 4 && !/^ERROR! \S/m.test(run.stderr) && !/UNREACHABLE!/.test(run.stdout)) {
    problems.push('exit 4 without a parse error or an unreachable host');
  }
  return problems;
}

function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end).trim().slice(0, 200);
}
