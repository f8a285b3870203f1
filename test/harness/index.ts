// Test helpers for real hosts: see ssh-lab.ts (hosts, keys, odd hosts), known-hosts.ts,
// inventory.ts. The hosts themselves come from localcloud/host (real sshd, own root fs).
export { SshLab, DEPLOY_USER, DEPLOY_PASSWORD, NOPASSWD_USER, type LabHostOptions } from './ssh-lab.js';
export { allocateAddress } from './addresses.js';
export { writeKnownHosts, knownHostsLines, type KnownHost } from './known-hosts.js';
export { writeInventory, inventoryText, type InventoryHost, type InventoryVars } from './inventory.js';
export { startHost, type Host, type HostOptions } from '../../localcloud/host/host.js';
export { generateKeyPair, type KeyPair } from '../../localcloud/host/keys.js';
