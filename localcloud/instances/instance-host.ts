// What an EC2 instance runs on: a host on its own loopback address with an sshd on port 22
// and its own root filesystem. The local cloud only drives its life cycle.
export interface HostSpec {
  instanceId: string;
  /** Addresses the host answers on (the private IP first, then a public IP if any). */
  addresses: string[];
  hostname: string;
  /** OpenSSH public keys (authorized_keys lines) accepted for login. */
  authorizedKeys: string[];
  /** The decoded user data, if any. */
  userData?: string;
  /** A directory the host may keep its files in (its root filesystem's writable layer). */
  dataDir: string;
}

export interface InstanceHost {
  /** Boots the host: resolves once its sshd accepts connections on port 22. */
  start(): Promise<void>;
  /** Shuts the host down, killing all of its processes; its filesystem is kept (stop/start). */
  stop(): Promise<void>;
  /** Stops it and removes its filesystem (terminate). */
  destroy(): Promise<void>;
  /** Processes the host runs now, for cleanup after a crash of the cloud. */
  pids(): number[];
}

export type HostFactory = (spec: HostSpec) => InstanceHost;
