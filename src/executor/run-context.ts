// Everything one ansible-playbook-like run shares: options, output, counters, variables,
// connections, and the hosts that failed or became unreachable.
import type { Display } from '../output/display.js';
import type { CallbackFanout } from '../output/events.js';
import type { TagFilter } from '../playbook/tags.js';
import type { Templar } from '../template/templar.js';
import type { HostStore } from '../vars/host-store.js';
import type { InventoryView } from '../vars/inventory-view.js';
import type { VariableManager } from '../vars/variable-manager.js';
import type { AsyncJobs } from './async-jobs.js';
import type { ConnectionPool } from './connections.js';
import type { AggregateStats } from './stats.js';

export interface ExecutionOptions {
  checkMode: boolean;
  diffMode: boolean;
  forks: number;
  verbosity: number;
  tags: TagFilter;
  startAtTask: string | undefined;
  /** -b / --become and friends: defaults for the become keywords. */
  become: boolean;
  becomeMethod: string;
  becomeUser: string;
  becomePassword: string | undefined;
  /** -u / remote_user */
  remoteUser: string | undefined;
  /** -c */
  connection: string | undefined;
  privateKeyFile: string | undefined;
  /** ssh connect timeout, seconds */
  timeout: number;
  hostKeyChecking: boolean;
  forceHandlers: boolean;
  anyErrorsFatal: boolean;
  /** gathering = implicit | explicit | smart */
  gathering: string;
  gatherSubset: string[];
  strategy: string;
  errorOnUndefinedVars: boolean;
  /** A notify naming no handler stops the run (Ansible's default) instead of warning. */
  errorOnMissingHandler: boolean;
  displayArgsToStdout: boolean;
  retryFilesEnabled: boolean;
  retryFilesSavePath: string | undefined;
  /** Extra `-o` style options for ssh connections from config (ssh_args etc.). */
  sshCommonArgs: string | undefined;
  sshExtraArgs: string | undefined;
}

export interface RunContext {
  readonly options: ExecutionOptions;
  readonly display: Display;
  readonly callbacks: CallbackFanout;
  readonly stats: AggregateStats;
  readonly inventory: InventoryView;
  readonly hostStore: HostStore;
  readonly variables: VariableManager;
  readonly templar: Templar;
  readonly connections: ConnectionPool;
  /** Aborted on Ctrl-C / SIGTERM: no new task starts. */
  readonly signal: AbortSignal;
  /** Hosts that failed during the run (TQM's _failed_hosts). */
  readonly failedHosts: Set<string>;
  readonly unreachableHosts: Set<string>;
  /** Background jobs of async tasks (poll: 0), read by async_status. */
  readonly asyncJobs: AsyncJobs;
  /** --start-at-task: set to true once a play found the task (later plays run in full). */
  readonly startAt: { pattern: string; matched: boolean } | undefined;
}
