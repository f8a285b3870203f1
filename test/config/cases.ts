// Configuration scenarios compared with `ansible-config dump --only-changed -t all`.
// Each builds a fresh directory tree (<ROOT>): `project/` is the working directory unless
// the case says otherwise, `home/` is $HOME. Recorded answers are in expected/.

export interface ConfigCase {
  id: string;
  /** Files to create, relative to <ROOT>. */
  files: Record<string, string>;
  /** Working directory relative to <ROOT> (default `project`). */
  cwd?: string;
  /** Environment (besides HOME and PATH); `<ROOT>` is replaced by the case's directory. */
  env?: Record<string, string>;
  /** Directories (relative to <ROOT>) to make world-writable. */
  worldWritable?: string[];
  /** Compare every setting, not only the changed ones (`ansible-config dump` in full). */
  full?: boolean;
  /** Also run ansible-config live in the test. */
  live?: boolean;
}

const BASIC_CFG = `# A project configuration touching the settings tsplay uses.
[defaults]
inventory = hosts, inventories/staging ; two sources
roles_path = roles:~/shared-roles:/opt/roles
forks = 20
remote_user = "deploy"
private_key_file = keys/id_rsa
host_key_checking = False
timeout = 30
stdout_callback = yaml
nocolor = yes
callbacks_enabled = timer, profile_tasks
retry_files_enabled = true
retry_files_save_path = retries
gathering = smart
vault_password_file = $HOME/.vault_pass
vault_identity_list = dev@~/dev.pass, prod@prompt
display_skipped_hosts = no
display_ok_hosts = false
show_custom_stats = True
any_errors_fatal = 1
error_on_undefined_vars = False
hash_behaviour = merge
jinja2_native = True
localhost_warning = off
deprecation_warnings = False
interpreter_python = auto_silent
log_path = logs/ansible.log
remote_tmp = /tmp/.ansible-\${USER}
transport = ssh
strategy = free

[privilege_escalation]
become = True
become_method = su
become_user = admin
become_ask_pass = false

[ssh_connection]
ssh_args = -o ControlMaster=auto -o ControlPersist=30m
pipelining = True
retries = 3
control_path_dir = ~/.cp
transfer_method = scp

[jinja2]
dont_type_filters = to_json, string

[inventory]
enable_plugins = ini, yaml
any_unparsed_is_failed = True
host_pattern_mismatch = error
`;

export const CONFIG_CASES: ConfigCase[] = [
  { id: 'no-config', files: {}, full: true, live: true },
  { id: 'project-config', files: { 'project/ansible.cfg': BASIC_CFG, 'project/logs/.keep': '' }, live: true },
  {
    id: 'env-beats-file',
    files: { 'project/ansible.cfg': '[defaults]\nforks = 20\nroles_path = roles\ntimeout = 5\n' },
    env: { ANSIBLE_FORKS: '30', ANSIBLE_ROLES_PATH: 'env-roles:/x', ANSIBLE_TIMEOUT: '', ANSIBLE_BECOME_USER: 'envuser' },
    live: true,
  },
  { id: 'no-color-env', files: {}, env: { NO_COLOR: '1' } },
  { id: 'no-color-last-wins', files: {}, env: { ANSIBLE_NOCOLOR: '1', NO_COLOR: '0' } },
  { id: 'force-color', files: {}, env: { ANSIBLE_FORCE_COLOR: 'yes', ANSIBLE_GATHER_SUBSET: '!all,min' } },
  {
    id: 'ansible-config-dir',
    files: { 'elsewhere/ansible.cfg': '[defaults]\nforks = 7\nroles_path = r\n', 'project/ansible.cfg': '[defaults]\nforks = 8\n' },
    env: { ANSIBLE_CONFIG: '<ROOT>/elsewhere' },
  },
  {
    id: 'ansible-config-relative-file',
    files: { 'project/conf/custom.cfg': '[defaults]\nprivate_key_file = k\n' },
    env: { ANSIBLE_CONFIG: 'conf/custom.cfg' },
  },
  {
    id: 'ansible-config-missing',
    files: { 'project/ansible.cfg': '[defaults]\nforks = 9\n' },
    env: { ANSIBLE_CONFIG: '<ROOT>/missing.cfg' },
  },
  { id: 'home-config', files: { 'home/.ansible.cfg': '[defaults]\nforks = 11\ninventory = ~/hosts\n' } },
  {
    id: 'world-writable-cwd',
    files: { 'project/ansible.cfg': '[defaults]\nforks = 12\n', 'home/.ansible.cfg': '[defaults]\nforks = 13\n' },
    worldWritable: ['project'],
  },
  {
    id: 'world-writable-explicit',
    files: { 'project/ansible.cfg': '[defaults]\nforks = 12\n' },
    worldWritable: ['project'],
    env: { ANSIBLE_CONFIG: '<ROOT>/project/ansible.cfg' },
  },
  {
    id: 'syntax-rules',
    files: {
      'project/ansible.cfg':
        '[DEFAULT]\ntimeout = 99\nbecome = yes\n[defaults]\nFORKS: 6\nroles_path = a:\n  b\nremote_user = x;y ;z\n[privilege_escalation]\nbecome_method = doas\n',
    },
  },
  { id: 'ansible-home', files: {}, env: { ANSIBLE_HOME: '<ROOT>/ah' }, full: true },
  { id: 'cwd-magic', files: { 'project/ansible.cfg': '[defaults]\nlog_path = {{CWD}}/x.log\nlocal_tmp_unused = 1\n' } },
  {
    id: 'deprecated-names',
    files: { 'project/ansible.cfg': '[defaults]\ncallback_whitelist = timer\ngather_subset = min\n' },
    live: true,
  },
  { id: 'deprecated-env', files: {}, env: { ANSIBLE_CALLBACK_WHITELIST: 'a', ANSIBLE_CALLBACKS_ENABLED: 'b' } },
  { id: 'error-type', files: { 'project/ansible.cfg': '[defaults]\nforks = 10 # not a comment\n' }, live: true },
  { id: 'error-float-env', files: {}, env: { ANSIBLE_TIMEOUT: 'ten' } },
  { id: 'error-choice', files: { 'project/ansible.cfg': '[defaults]\ngathering = sometimes\n' } },
  { id: 'error-duplicate', files: { 'project/ansible.cfg': '[defaults]\nforks = 10\nforks = 11\n' } },
  { id: 'error-no-section', files: { 'project/ansible.cfg': 'forks = 10\n' } },
  { id: 'error-bad-lines', files: { 'project/ansible.cfg': '[defaults]\nforks\nmore junk\n' } },
  { id: 'error-extension', files: { 'project/settings.conf': '[defaults]\n' }, env: { ANSIBLE_CONFIG: 'settings.conf' } },
  { id: 'error-yaml-config', files: { 'project/settings.yml': 'x: 1\n' }, env: { ANSIBLE_CONFIG: 'settings.yml' } },
];
