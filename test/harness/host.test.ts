// The host primitive (localcloud/host): isolation of each host's filesystem and
// processes, users and sudo rules, boot delay, persistence of the writable layer,
// and the guarantee that stopping (or the controller dying) leaves nothing behind.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../localcloud/host/keys.js';
import { allocateAddress } from './addresses.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, NOPASSWD_USER, SshLab } from './ssh-lab.js';
import { startHost, type Host } from '../../localcloud/host/host.js';

const lab = SshLab.create();
const scratch = mkdtempSync(join(tmpdir(), 'tsplay-host-test-'));
afterAll(async () => {
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listening(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** PIDs (as the machine sees them) of every process in the host's PID namespace. */
function hostPids(host: Host): number[] {
  const ns = execFileSync('readlink', [`/proc/${host.pid}/ns/pid`]).toString().trim();
  return execFileSync('sh', ['-c', `for p in /proc/[0-9]*; do [ "$(readlink $p/ns/pid 2>/dev/null)" = "${ns}" ] && echo \${p#/proc/}; done; true`])
    .toString()
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

describe('key pairs', () => {
  it('are valid OpenSSH keys whatever their bytes (ssh-keygen -y derives the same public key)', () => {
    const types = [...Array<'ed25519'>(150).fill('ed25519'), ...Array<'ecdsa'>(20).fill('ecdsa'), 'rsa' as const];
    for (const [i, type] of types.entries()) {
      const pair = generateKeyPair(type, `k${i}`);
      const file = join(scratch, 'key');
      writeFileSync(file, pair.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', file]).toString().trim().split(' ').slice(0, 2).join(' ');
      expect(derived).toBe(pair.publicKey.split(' ').slice(0, 2).join(' '));
    }
  });
});

describe('a host', () => {
  it('has its own root filesystem, hostname, /etc/hosts names, users and sudo rules', async () => {
    const [a, b] = await lab.startHosts(2);
    await a!.exec('echo a > /etc/tsplay-only-on-a && mkdir -p /opt/app && echo 1 > /opt/app/v');
    expect(existsSync('/etc/tsplay-only-on-a')).toBe(false);
    expect((await b!.exec('cat /etc/tsplay-only-on-a')).rc).not.toBe(0);
    expect(readFileSync(`${a!.root}/opt/app/v`, 'utf8')).toBe('1\n');
    expect((await a!.exec('hostname')).stdout.trim()).toBe(a!.hostname);
    expect((await a!.exec(`getent hosts ${a!.hostname}`)).stdout).toContain(a!.address);
    expect((await a!.exec('ls -A /root')).stdout.split('\n')).not.toContain('.pyenv');
    expect((await a!.exec(`id -un ${DEPLOY_USER}; id -un ${NOPASSWD_USER}`)).stdout).toBe(`${DEPLOY_USER}\n${NOPASSWD_USER}\n`);
    const sudo = await a!.exec(['su', DEPLOY_USER, '-c', 'sudo -S -p "" id -un'], { stdin: `${DEPLOY_PASSWORD}\n` });
    expect(sudo.stdout).toBe('root\n');
    expect((await a!.exec(['su', NOPASSWD_USER, '-c', 'sudo -n id -un'])).stdout).toBe('root\n');
    expect((await a!.exec('ps -e -o comm=')).stdout.split('\n')).toContain('sshd');
    expect((await a!.exec('ps -e -o pid=')).stdout.split('\n').filter(Boolean).length).toBeLessThan(10);
  });

  it('stops with every one of its processes, and leaves no mount and no state behind', async () => {
    const host = await lab.startHost();
    await host.exec('nohup sleep 600 >/dev/null 2>&1 & setsid sleep 601 >/dev/null 2>&1 &');
    const pids = hostPids(host);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    await host.stop();
    expect(pids.filter(alive)).toEqual([]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain('tsplay-host');
    expect(await listening(host.address, 22)).toBe(false);
    await expect(host.exec('true')).rejects.toThrow(/not running/);
  });

  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const script = `
      import { startHost } from ${JSON.stringify(join(process.cwd(), 'localcloud/host/host.ts'))};
      const host = await startHost({ address: ${JSON.stringify(allocateAddress())} });
      console.log(host.pid);
      setInterval(() => {}, 1000);`;
    const file = join(scratch, 'orphan.ts');
    writeFileSync(file, script);
    const child = spawn(process.execPath, [join(process.cwd(), 'node_modules/vite-node/vite-node.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => child.stdout.on('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive(pid)).toBe(false);
  });

  it('boots sshd after its boot delay, and listens on extra addresses', async () => {
    const address = allocateAddress();
    const extra = allocateAddress();
    const started = Date.now();
    const host = await startHost({ address, extraAddresses: [extra], bootDelayMs: 700, waitForSsh: false, authorizedKeys: [lab.key.publicKey] });
    try {
      expect(Date.now() - started).toBeLessThan(600);
      expect(await listening(address, 22)).toBe(false);
      await host.sshReady;
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(await listening(address, 22)).toBe(true);
      expect(await listening(extra, 22)).toBe(true);
    } finally {
      await host.stop();
    }
  });

  it('keeps its changes across stop and start when given a data directory', async () => {
    const dataDir = join(scratch, 'disk');
    const hostKeys = [generateKeyPair()];
    const first = await startHost({ address: allocateAddress(), dataDir, hostKeys, users: [{ name: 'app', sudo: 'nopasswd' }] });
    await first.exec('echo kept > /etc/kept.txt && echo "extra line" >> /etc/hosts');
    await first.stop();
    const second = await startHost({ address: allocateAddress(), dataDir, hostKeys, users: [{ name: 'app', sudo: 'nopasswd' }] });
    try {
      expect((await second.exec('cat /etc/kept.txt')).stdout).toBe('kept\n');
      const hosts = (await second.exec('cat /etc/hosts')).stdout;
      expect(hosts.match(/# tsplay-host begin/g)?.length).toBe(1);
      expect(hosts).toContain('extra line');
      expect(hosts).toContain(second.address);
    } finally {
      await second.stop();
    }
  });

  it('runs commands inside the host with stdin and a timeout', async () => {
    const host = await lab.startHost();
    expect(await host.exec(['sh', '-c', 'cat; hostname'], { stdin: 'in\n' })).toEqual({ rc: 0, stdout: `in\n${host.hostname}\n`, stderr: '' });
    await expect(host.exec('sleep 5', { timeoutMs: 200 })).rejects.toThrow(/timed out/);
  });
});
