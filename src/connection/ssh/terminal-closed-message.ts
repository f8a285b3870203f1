// What OpenSSH's client prints on stderr when the terminal of a command it ran with -tt
// closes: Ansible's raw and script results carry it as their stderr. A client of a
// multiplexed connection (ControlMaster with ControlPersist, Ansible's default ssh_args)
// says "Shared connection to <host> closed.", a plain one "Connection to <host> closed.";
// the host is the name ssh dialled (after HostName). LogLevel QUIET, FATAL or ERROR (or
// -q) silences it.
import type { SshOptions } from './ssh-options.js';

const SILENT_LEVELS = new Set(['quiet', 'fatal', 'error']);
const MASTER_VALUES = new Set(['yes', 'auto', 'ask', 'autoask']);

const COMMAND_LINE = new Set(['ssh_args', 'ssh_common_args', 'ssh_extra_args']);

/**
 * Whether ssh would run commands through a control master. Ansible adds a ControlPath of
 * its own when its ssh command line sets ControlPersist; otherwise one must be configured.
 */
function multiplexed(options: SshOptions): boolean {
  const master = options.get('controlmaster')?.toLowerCase();
  const persist = options.getOption('controlpersist');
  if (master === undefined || !MASTER_VALUES.has(master)) return false;
  if (persist === undefined || ['no', 'false'].includes(persist.value.toLowerCase())) return false;
  const path = options.get('controlpath');
  return COMMAND_LINE.has(persist.source) || (path !== undefined && path.toLowerCase() !== 'none');
}

export function terminalClosedMessage(options: SshOptions, hostname: string): string {
  if (SILENT_LEVELS.has((options.get('loglevel') ?? 'info').toLowerCase())) return '';
  return `${multiplexed(options) ? 'Shared connection' : 'Connection'} to ${hostname} closed.\r\n`;
}
