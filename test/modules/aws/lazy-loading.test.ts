// The AWS SDK is heavy (about a second and 70 MB to import), so the AWS modules register
// only their specs and load their implementation on first run. This checks it on the built
// CLI: a playbook that validates an ec2 task (syntax check) and one without AWS tasks never
// import @aws-sdk, and one that runs an AWS module does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'tsplay.js');

/**
 * Runs the CLI recording every module it loads into a file: a resolve hook for ES modules,
 * and at exit the CommonJS modules it required (the bundled CLI is CommonJS and requires
 * its packages).
 */
function runRecordingImports(dir: string, args: string[]): { status: number | null; imports: string[]; stdout: string } {
  const log = join(dir, `imports-${Math.random().toString(36).slice(2)}.log`);
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const required = join(dir, 'required.cjs');
  writeFileSync(
    required,
    `process.on('exit', () => require('node:fs').appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).map((file) => require('node:url').pathToFileURL(file).href + '\\n').join('')));\n`,
  );
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--require', required, bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_EC2_METADATA_DISABLED: 'true' },
    timeout: 60_000,
  });
  const imports = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { status: result.status, imports, stdout: result.stdout + result.stderr };
}

const awsSdk = (imports: string[]) => imports.filter((url) => url.includes('@aws-sdk'));

describe('AWS modules load the SDK lazily', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-lazy-aws-'));
  writeFileSync(
    join(dir, 'ec2.yml'),
    `- hosts: localhost
  gather_facts: false
  tasks:
    - ec2_instance_info:
        region: us-east-1
        endpoint_url: http://127.0.0.1:9
        filters: { "tag:Name": web1 }
      register: found
`,
  );
  writeFileSync(join(dir, 'plain.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');

  it('a syntax check of a playbook with an AWS task does not import the SDK', () => {
    const run = runRecordingImports(dir, ['-i', 'localhost,', '-c', 'local', '--syntax-check', 'ec2.yml']);
    expect(run.status, run.stdout).toBe(0);
    // The recording works: the CLI's entry (an ES module) and packages it requires from
    // node_modules (ssh2's compiled crypto binding) are among what was loaded.
    expect(run.imports.some((url) => url.endsWith('/bin/tsplay.js'))).toBe(true);
    expect(run.imports.some((url) => url.includes('/node_modules/'))).toBe(true);
    expect(awsSdk(run.imports)).toEqual([]);
  });

  it('a run without AWS tasks does not import the SDK', () => {
    const run = runRecordingImports(dir, ['-i', 'localhost,', '-c', 'local', 'plain.yml']);
    expect(run.status, run.stdout).toBe(0);
    expect(awsSdk(run.imports)).toEqual([]);
  });

  it('running an AWS module imports it', () => {
    const run = runRecordingImports(dir, ['-i', 'localhost,', '-c', 'local', 'ec2.yml']);
    // Nothing listens on port 9: the module fails, but only after it loaded the SDK.
    expect(run.status, run.stdout).toBe(2);
    expect(awsSdk(run.imports).some((url) => url.includes('client-ec2'))).toBe(true);
  });
});
