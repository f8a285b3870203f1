// Ansible as the oracle for module results: the same steps run through ansible-playbook
// (registered results read from the json callback) and through tsplay's modules on the
// local connection, in the same directory reset to the same starting state, and the
// results are compared after removing what differs between any two runs (times).
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleDefinition, ModuleResult } from '../../src/modules/module.js';
import { runModule, testContext } from './helpers.js';
import { ScriptedConnection } from './scripted-connection.js';

export interface OracleStep {
  module: ModuleDefinition<never>;
  args: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
}

export interface OracleCase {
  /** Shell script run in the work directory before each side runs (creates the starting state). */
  setup?: string;
  steps: OracleStep[];
  /** Files beside the playbook (role-less `files/`, `templates/`), as name -> content. */
  files?: Record<string, string>;
  /** Extra play vars (for templates). */
  vars?: Record<string, unknown>;
}

export interface OracleRun {
  /** The work directory both sides used: it appears in results. */
  work: string;
  /** The playbook directory (controller files). */
  playbookDir: string;
  ansible: ModuleResult[];
  tsplay: ModuleResult[];
  /** Files of the work directory after each side ran (path -> content or '<dir>'/'-> target'). */
  ansibleTree: Record<string, string>;
  tsplayTree: Record<string, string>;
  /** With `scripted`: tsplay's results and tree again, on a connection that takes the modules' remote paths. */
  scripted?: { results: ModuleResult[]; tree: Record<string, string> };
}

export interface OracleOptions {
  /** Also run tsplay's side on ScriptedConnection (file operations as the SSH transport runs them). */
  scripted?: boolean;
}

const TIME_KEYS = new Set(['atime', 'mtime', 'ctime', 'start', 'end', 'delta']);

/** Drops what only says how a result was produced, and the values that change between runs. */
export function normalizeResult(value: unknown, work: string): unknown {
  if (Array.isArray(value)) return value.map((item) => normalizeResult(item, work));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [rawKey, v] of Object.entries(value)) {
      const key = normalizeResult(rawKey, work) as string;
      if (key.startsWith('_ansible') || key === 'invocation' || key === 'action' || key === 'ansible_facts') continue;
      if (key === 'failed' && v === false) continue;
      if (key === 'warnings' && Array.isArray(v) && v.length === 0) continue;
      // A traceback's frames are Python's; its last line (what the callback shows) must agree.
      if (key === 'exception' && typeof v === 'string') {
        out[key] = v.trim().split('\n').pop();
        continue;
      }
      // A file's inode and generation number change whenever the starting state is recreated.
      if ((key === 'inode' && typeof v === 'number') || (key === 'version' && typeof v === 'string' && /^\d+$/.test(v))) {
        out[key] = '<volatile>';
        continue;
      }
      out[key] = TIME_KEYS.has(key) && (typeof v === 'number' || (typeof v === 'string' && key !== 'mtime')) ? '<time>' : normalizeResult(v, work);
    }
    return out;
  }
  if (typeof value === 'string') {
    return value
      .replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g, '.<backup>~')
      .replace(/\.ansible\/tmp\/ansible-(local|tmp)-[^/"' ]+(\/tmp\w+)?/g, '.ansible/tmp/ansible-$1-<tmp>');
  }
  return value;
}

function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    const stat = lstatSync(join(dir, path));
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(dir, path))}`;
    else if (stat.isDirectory()) {
      out[path] = `dir ${mode} ${stat.uid}:${stat.gid}`;
      Object.assign(out, tree(dir, path));
    } else out[path] = `${mode} ${stat.uid}:${stat.gid} ${readFileSync(join(dir, path), 'utf8')}`;
  }
  return out;
}

function resetWork(work: string, setup: string | undefined): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  if (setup) execFileSync('/bin/sh', ['-ec', setup], { cwd: work, env: { ...process.env, WORK: work } });
}

function taskYaml(step: OracleStep, index: number): string {
  const action = step.module.name;
  return [
    `    - name: step ${index}`,
    `      ${action}: ${JSON.stringify(step.args)}`,
    `      check_mode: ${step.check === true}`,
    `      diff: ${step.diff !== false}`,
    '      ignore_errors: true',
  ].join('\n');
}

/** Runs the case through ansible-playbook and through tsplay's modules. */
export async function runOracle(name: string, oracleCase: OracleCase, options: OracleOptions = {}): Promise<OracleRun> {
  const root = mkdtempSync(join(tmpdir(), `tsplay-oracle-${name}-`));
  const work = join(root, 'work');
  const playbookDir = join(root, 'play');
  mkdirSync(playbookDir);
  for (const [file, content] of Object.entries(oracleCase.files ?? {})) {
    mkdirSync(join(playbookDir, file, '..'), { recursive: true });
    writeFileSync(join(playbookDir, file), content.replaceAll('$WORK', work));
  }
  const steps = oracleCase.steps.map((s) => ({ ...s, args: JSON.parse(JSON.stringify(s.args).replaceAll('$WORK', work)) as Record<string, unknown> }));
  const playbook = [
    '- hosts: localhost',
    '  connection: local',
    '  gather_facts: false',
    `  vars: ${JSON.stringify(oracleCase.vars ?? {})}`,
    '  tasks:',
    ...steps.map(taskYaml),
  ].join('\n');
  writeFileSync(join(playbookDir, 'playbook.yml'), `${playbook}\n`);
  try {
    resetWork(work, oracleCase.setup);
    const output = execFileSync('ansible-playbook', ['-i', 'localhost,', 'playbook.yml'], {
      cwd: playbookDir,
      env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0' },
      maxBuffer: 64 * 1024 * 1024,
    }).toString('utf8');
    const parsed = JSON.parse(output) as { plays: { tasks: { hosts: Record<string, ModuleResult> }[] }[] };
    const ansible = parsed.plays[0]!.tasks.map((t) => normalizeResult(t.hosts.localhost, work) as ModuleResult);
    const ansibleTree = normalizeResult(tree(work), work) as Record<string, string>;

    const runTsplay = async (connection?: () => ScriptedConnection) => {
      resetWork(work, oracleCase.setup);
      const results: ModuleResult[] = [];
      for (const step of steps) {
        const ctx = testContext({ checkMode: step.check === true, diffMode: step.diff !== false, searchPath: [playbookDir], vars: oracleCase.vars ?? {}, connection: connection?.() });
        const result = await runModule(step.module, step.args, ctx, step.module.name);
        results.push(normalizeResult(result, work) as ModuleResult);
      }
      return { results, tree: normalizeResult(tree(work), work) as Record<string, string> };
    };
    const local = await runTsplay();
    const scripted = options.scripted ? await runTsplay(() => new ScriptedConnection('localhost')) : undefined;
    return { work, playbookDir, ansible, tsplay: local.results, ansibleTree, tsplayTree: local.tree, ...(scripted ? { scripted } : {}) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
