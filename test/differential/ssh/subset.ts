// Scenarios that run over SSH by default (see ssh-scenarios.test.ts): those where the
// transport shows — several hosts, unreachable hosts, delegation, serial batches, facts,
// environment, check mode, every module that moves files or runs commands, modules that
// change a host's users, crontab, keys, hostname or sysctl (each host has its own root
// filesystem), and lookups that read controller files. About a quarter of the set:
// ~1 min alone on 2 cores; the full set takes 6-8 min. Not engine/strategy-free: its
// debug-only tasks never connect, and ansible-playbook's banner order under the free
// strategy follows its workers' timing on a busy machine.
export const SSH_SUBSET: string[] = [
  'engine/add-host-group-by',
  'engine/any-errors-fatal',
  'engine/block-rescue-always',
  'engine/check-mode',
  'engine/delegate-facts',
  'engine/end-host',
  'engine/environment-keyword',
  'engine/free-form-and-action-forms',
  'engine/gather-facts',
  'engine/handlers',
  'engine/ignore-unreachable',
  'engine/magic-vars',
  'engine/multi-host-inventory',
  'engine/run-once-and-delegate',
  'engine/serial-batches',
  'engine/unreachable-host',
  'modules/assemble',
  'modules/command',
  'modules/copy',
  'modules/file',
  'modules/lineinfile',
  'modules/raw',
  'modules/script',
  'modules/shell',
  'modules/slurp',
  'modules/stat',
  'modules/template',
  'modules/unarchive',
  'modules2/authorized-key',
  'modules2/cron',
  'modules2/hostname',
  'modules2/sysctl',
  'modules2/user',
  'modules2/wait-for-connection',
  'templating/hostvars-groups-magic',
  'templating/lookup-file',
  'templating/template-module-special-vars',
];
