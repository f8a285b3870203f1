// Generated fuzz cases: a copy of the seed project with one input mutated (a playbook,
// a role or tasks file, a vars file, a template, an inventory, or the -e values), and
// the command line to run it with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mutateLine, mutateText, Random } from './mutate.js';
import { EXTRA_VARS, INVENTORIES, PROJECT } from './seeds.js';

export type CaseKind = 'playbook' | 'project-file' | 'inventory' | 'extra-vars';

export interface FuzzCase {
  index: number;
  kind: CaseKind;
  /** The mutated file (relative), or `-e` for extra-vars cases. */
  target: string;
  /** The mutated text. */
  text: string;
  applied: string[];
  argv: string[];
  dir: string;
}

const PROJECT_FILES = Object.keys(PROJECT).filter((f) => f !== 'playbook.yml' && f !== 'site.yml');
const OPTIONS: string[][] = [
  [], [], [], [], [], [], ['--syntax-check'], ['--list-tasks'], ['--list-hosts'], ['-C'], ['--diff'], ['-v'], ['-vvv'],
  ['-t', 'ports'], ['--skip-tags', 'ports'], ['-l', 'web1'], ['-f', '1'], ['-e', 'app_name=override'],
];

/** How often each kind of input is mutated (relative weights). */
export const KIND_WEIGHTS: Record<CaseKind, number> = { playbook: 10, 'project-file': 3, inventory: 3.5, 'extra-vars': 3.5 };

function kindFor(r: Random, kinds: readonly CaseKind[]): CaseKind {
  const total = kinds.reduce((sum, kind) => sum + KIND_WEIGHTS[kind], 0);
  let roll = r.next() * total;
  for (const kind of kinds) {
    roll -= KIND_WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return kinds[kinds.length - 1]!;
}

/** Case number `index` of the run with `seed` (one of `kinds`), written under `root`. */
export function makeCase(root: string, seed: number, index: number, kinds: readonly CaseKind[]): FuzzCase {
  const r = new Random(seed * 100_003 + index);
  const dir = join(root, 'c', String(index).padStart(5, '0'));
  const files: Record<string, string> = { ...PROJECT, ...INVENTORIES };
  const kind = kindFor(r, kinds);
  const playbook = r.chance(0.75) ? 'playbook.yml' : 'site.yml';
  const inventory = r.pick(Object.keys(INVENTORIES));
  let target: string;
  let text: string;
  let applied: string[];
  const extraVars: string[] = [];
  if (kind === 'extra-vars') {
    target = '-e';
    const count = 1 + r.int(2);
    const mutated: string[] = [];
    applied = [];
    for (let k = 0; k < count; k++) {
      const value = r.pick(EXTRA_VARS);
      if (value.startsWith('@') && r.chance(0.5)) {
        // Mutate the file the value names instead of the value.
        const file = value.slice(1);
        const out = mutateText(files[file]!, r);
        files[file] = out.text;
        applied.push(...out.applied.map((a) => `${file}:${a}`));
        mutated.push(value);
      } else {
        const out = mutateLine(value, r);
        applied.push(...out.applied);
        mutated.push(out.text);
      }
    }
    text = mutated.join('\n');
    for (const value of mutated) extraVars.push('-e', value);
  } else {
    target = kind === 'playbook' ? playbook : kind === 'inventory' ? inventory : r.pick(PROJECT_FILES);
    const out = mutateText(files[target]!, r);
    text = out.text;
    applied = out.applied;
    files[target] = text;
  }
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const argv = ['-i', inventory, playbook, '-c', 'local', ...r.pick(OPTIONS), ...extraVars];
  return { index, kind, target, text, applied, argv, dir };
}
