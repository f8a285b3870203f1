// The tsplay-vault bin compiled as `npm ci` compiles it: pipes, a password script's own
// stderr, and the password prompt on a real terminal (a pty from script(1)).
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultSecret } from '../../src/vault/secret.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { ansibleVault, cleanEnv, runCommand, Scratch, type RunResult } from './helpers.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const build = join(repo, 'node_modules/.cache/tsplay-vault-bin-test');
const bin = join(build, 'bin/tsplay-vault.js');
const PLAIN = 'token: abc123\n';
let scratch: Scratch;

beforeAll(async () => {
  rmSync(build, { recursive: true, force: true });
  mkdirSync(join(build, 'bin'), { recursive: true });
  writeFileSync(
    join(build, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repo, 'tsconfig.build.json'),
      compilerOptions: { rootDir: repo, outDir: join(build, 'dist'), noEmitOnError: false },
      include: [],
      files: [join(repo, 'src/cli/vault/main.ts')],
    }),
  );
  writeFileSync(join(build, 'package.json'), JSON.stringify({ type: 'module' }));
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(build, 'tsconfig.json')], { timeout: 120_000 }).catch(() => undefined);
  copyFileSync(join(repo, 'bin/tsplay-vault.js'), bin);
  expect(existsSync(join(build, 'dist/src/cli/vault/main.js'))).toBe(true);

  scratch = new Scratch();
  scratch.write('pw', 'bin-secret\n');
  scratch.write('enc.yml', new VaultLib([new VaultSecret('default', 'bin-secret')]).encrypt(PLAIN));
  scratch.script('noisy.sh', 'echo "cannot reach the keyring" >&2; exit 3');
}, 180_000);

afterAll(() => scratch?.remove());

function tsplayVault(args: string[], input?: string): Promise<RunResult> {
  return runCommand(process.execPath, [bin, ...args], { cwd: scratch.dir, env: cleanEnv(scratch.dir), ...(input !== undefined ? { input } : {}) });
}

/** Run the bin on a pseudo-terminal, typing `answers` each time the output ends with a prompt. */
function onTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: scratch.dir, env: cleanEnv(scratch.dir), stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (typed < answers.length && /password( \(\w+\))?: $/i.test(output)) child.stdin.write(answers[typed++]!);
    });
    // A prompt that never comes must fail the test, not hang it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

describe('tsplay-vault bin', () => {
  it('prints its version', async () => {
    const result = await tsplayVault(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^tsplay-vault \S+ /);
  });

  it('pipes: encrypt stdin to stdout, then decrypt it again', async () => {
    const encrypted = await tsplayVault(['encrypt', '--vault-password-file', 'pw'], PLAIN);
    expect(encrypted.code).toBe(0);
    expect(encrypted.stdout.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    const decrypted = await tsplayVault(['decrypt', '--vault-password-file', 'pw', '--output', '-', '-'], encrypted.stdout);
    expect(decrypted).toEqual({ code: 0, stdout: PLAIN, stderr: '' });
  });

  it("a failing password script's own stderr comes through, as with ansible-vault", async () => {
    const args = ['view', '--vault-password-file', 'noisy.sh', 'enc.yml'];
    const [theirs, ours] = await Promise.all([ansibleVault(scratch, args), tsplayVault(args)]);
    expect(theirs.code).toBe(1);
    expect(ours).toEqual(theirs);
  });

  it('asks for the password on the terminal without echoing it', async () => {
    const { code, output } = await onTerminal(['view', '--ask-vault-pass', 'enc.yml'], ['bin-secret\r']);
    expect(code).toBe(0);
    expect(output).toContain('Vault password: ');
    expect(output).toContain('token: abc123');
    expect(output).not.toContain('bin-secret');
  });

  it('Ctrl-C at the prompt stops with exit 99', async () => {
    const { code, output } = await onTerminal(['view', '--vault-id', 'ops@prompt', 'enc.yml'], ['\u0003']);
    expect(output).toContain('Vault password (ops): ');
    expect(output).toContain('ERROR! User interrupted execution');
    expect(code).toBe(99);
  });
});
