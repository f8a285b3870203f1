// Which host implementation instances run on: isolated hosts (localcloud/host) where they
// can start, else stand-in hosts (a plain sshd on the instance's address).
import type { HostFactory } from './instance-host.js';
import { isolatedHostFactory, isolatedHostsStart } from './isolated-host.js';
import { standinHostFactory } from './standin-host.js';

export type HostKind = 'auto' | 'isolated' | 'sshd';

export async function chooseHostFactory(kind: HostKind, stateDir: string, log: (message: string) => void): Promise<HostFactory> {
  if (kind === 'sshd') return standinHostFactory;
  const probe = await isolatedHostsStart(stateDir);
  if (probe.ok) return isolatedHostFactory;
  if (kind === 'isolated') throw new Error(`isolated hosts cannot start (${probe.reason}); they need root, unshare and overlayfs`);
  log(`localcloud: isolated hosts cannot start (${probe.reason}); instances run a plain sshd on their address and share this machine's filesystem`);
  return standinHostFactory;
}
