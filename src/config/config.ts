// The loaded configuration: every setting's value and origin by Ansible's name, typed
// accessors for the ones tsplay uses, and plugin options (connection, callback, become,
// shell) that host variables may override.
import { TsplayError } from '../errors.js';
import { resolveSetting, type ConfigDeprecation, type SettingSource } from './load-config.js';
import { PLUGIN_SETTINGS, type PluginType } from './settings.js';

export interface ResolvedSetting {
  name: string;
  value: unknown;
  /** 'default', the config file's path, `env: NAME` or `var: name`. */
  origin: string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class Config {
  constructor(
    /** The ansible.cfg in use (`config file = ...` of --version), undefined when none. */
    readonly file: string | undefined,
    private readonly settings: ReadonlyMap<string, ResolvedSetting>,
    private readonly source: SettingSource,
    /** Warnings to show once at start (without the `[WARNING]: ` prefix). */
    readonly warnings: readonly string[],
    /** Deprecated settings in use; shown as `[DEPRECATION WARNING]: ` when deprecationWarnings. */
    readonly deprecations: readonly ConfigDeprecation[],
  ) {}

  /** A base setting by Ansible's name (DEFAULT_FORKS, HOST_KEY_CHECKING...). */
  value<T = unknown>(name: string): T {
    const setting = this.settings.get(name);
    if (!setting) throw new TsplayError(`Requested entry (setting: ${name}) was not defined in configuration.`);
    return setting.value as T;
  }

  origin(name: string): string {
    const setting = this.settings.get(name);
    if (!setting) throw new TsplayError(`Requested entry (setting: ${name}) was not defined in configuration.`);
    return setting.origin;
  }

  /** Every base setting, sorted by name, with CONFIG_FILE (as `ansible-config dump`). */
  all(): ResolvedSetting[] {
    const out = [...this.settings.values(), { name: 'CONFIG_FILE', value: this.file ?? null, origin: '' }];
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The settings not at their default (`ansible-config dump --only-changed`). */
  changed(): ResolvedSetting[] {
    return this.all().filter((s) => s.origin !== 'default');
  }

  /**
   * An option of a plugin tsplay implements, e.g. ('connection', 'ssh', 'ssh_args'):
   * host variables in `vars` (ansible_ssh_args...) over the environment over ansible.cfg
   * over the default.
   */
  pluginOption(type: PluginType, plugin: string, option: string, vars?: Readonly<Record<string, unknown>>): ResolvedSetting {
    const def = PLUGIN_SETTINGS[type][plugin]?.find((d) => d.name === option);
    if (!def) {
      throw new TsplayError(`Requested entry (plugin_type: ${type} plugin: ${plugin} setting: ${option} ) was not defined in configuration.`);
    }
    return resolveSetting(def, this.source, `plugin_type: ${type} plugin: ${plugin} setting: ${option} `, [], vars);
  }

  /** Every option of a plugin, resolved without host variables (`ansible-config dump -t <type>`). */
  pluginOptions(type: PluginType, plugin: string): ResolvedSetting[] {
    return (PLUGIN_SETTINGS[type][plugin] ?? []).map((d) => this.pluginOption(type, plugin, d.name));
  }

  /** A raw value from the config file, for tsplay's own sections ([tsplay]); undefined when absent. */
  iniValue(section: string, key: string): string | undefined {
    return this.source.ini?.get(section, key);
  }

  // Typed accessors for the settings the engine uses.

  /** DEFAULT_HOST_LIST: inventory sources when no -i is given. */
  get inventory(): string[] {
    return this.value('DEFAULT_HOST_LIST');
  }
  /** DEFAULT_ROLES_PATH */
  get rolesPath(): string[] {
    return this.value('DEFAULT_ROLES_PATH');
  }
  get forks(): number {
    return this.value('DEFAULT_FORKS');
  }
  get remoteUser(): string | null {
    return str(this.value('DEFAULT_REMOTE_USER'));
  }
  get remotePort(): number | null {
    return this.value('DEFAULT_REMOTE_PORT');
  }
  get privateKeyFile(): string | null {
    return this.value('DEFAULT_PRIVATE_KEY_FILE');
  }
  get hostKeyChecking(): boolean {
    return this.value('HOST_KEY_CHECKING');
  }
  get transport(): string {
    return String(this.value('DEFAULT_TRANSPORT'));
  }
  get become(): boolean {
    return this.value('DEFAULT_BECOME');
  }
  get becomeMethod(): string {
    return String(this.value('DEFAULT_BECOME_METHOD'));
  }
  get becomeUser(): string {
    return String(this.value('DEFAULT_BECOME_USER'));
  }
  get becomeAskPass(): boolean {
    return this.value('DEFAULT_BECOME_ASK_PASS');
  }
  get becomeExe(): string | null {
    return str(this.value('DEFAULT_BECOME_EXE'));
  }
  get becomeFlags(): string | null {
    return str(this.value('DEFAULT_BECOME_FLAGS'));
  }
  get askPass(): boolean {
    return this.value('DEFAULT_ASK_PASS');
  }
  get timeout(): number {
    return this.value('DEFAULT_TIMEOUT');
  }
  get stdoutCallback(): string {
    return String(this.value('DEFAULT_STDOUT_CALLBACK'));
  }
  /** ANSIBLE_NOCOLOR (also NO_COLOR, ANSIBLE_NOCOLOR and NO_COLOR read as booleans). */
  get noColor(): boolean {
    return this.value('ANSIBLE_NOCOLOR');
  }
  get forceColor(): boolean {
    return this.value('ANSIBLE_FORCE_COLOR');
  }
  get callbacksEnabled(): string[] {
    return this.value('CALLBACKS_ENABLED');
  }
  get retryFilesEnabled(): boolean {
    return this.value('RETRY_FILES_ENABLED');
  }
  get retryFilesSavePath(): string | null {
    return this.value('RETRY_FILES_SAVE_PATH');
  }
  /** DEFAULT_GATHERING: implicit, explicit or smart. */
  get gathering(): 'implicit' | 'explicit' | 'smart' {
    return this.value('DEFAULT_GATHERING');
  }
  get gatherSubset(): string[] | null {
    return this.value('DEFAULT_GATHER_SUBSET');
  }
  get gatherTimeout(): number | null {
    return this.value('DEFAULT_GATHER_TIMEOUT');
  }
  /** BECOME_PASSWORD_FILE: where --become-password-file points by default. */
  get becomePasswordFile(): string | null {
    return this.value('BECOME_PASSWORD_FILE');
  }
  /** CONNECTION_PASSWORD_FILE: where --connection-password-file points by default. */
  get connectionPasswordFile(): string | null {
    return this.value('CONNECTION_PASSWORD_FILE');
  }
  get agnosticBecomePrompt(): boolean {
    return this.value('AGNOSTIC_BECOME_PROMPT');
  }
  get vaultPasswordFile(): string | null {
    return this.value('DEFAULT_VAULT_PASSWORD_FILE');
  }
  get vaultIdentityList(): string[] {
    return this.value('DEFAULT_VAULT_IDENTITY_LIST');
  }
  get vaultIdentity(): string {
    return String(this.value('DEFAULT_VAULT_IDENTITY'));
  }
  get displaySkippedHosts(): boolean {
    return this.pluginOption('callback', 'default', 'display_skipped_hosts').value as boolean;
  }
  get displayOkHosts(): boolean {
    return this.pluginOption('callback', 'default', 'display_ok_hosts').value as boolean;
  }
  get displayFailedStderr(): boolean {
    return this.pluginOption('callback', 'default', 'display_failed_stderr').value as boolean;
  }
  get showCustomStats(): boolean {
    return this.pluginOption('callback', 'default', 'show_custom_stats').value as boolean;
  }
  get checkModeMarkers(): boolean {
    return this.pluginOption('callback', 'default', 'check_mode_markers').value as boolean;
  }
  get showPerHostStart(): boolean {
    return this.pluginOption('callback', 'default', 'show_per_host_start').value as boolean;
  }
  get showTaskPathOnFailure(): boolean {
    return this.pluginOption('callback', 'default', 'show_task_path_on_failure').value as boolean;
  }
  /** callback_result_format: json or yaml. */
  get callbackResultFormat(): string {
    return String(this.pluginOption('callback', 'default', 'result_format').value);
  }
  get callbackFormatPretty(): boolean | null {
    return this.pluginOption('callback', 'default', 'pretty_results').value as boolean | null;
  }
  get anyErrorsFatal(): boolean {
    return this.value('ANY_ERRORS_FATAL');
  }
  /** DEFAULT_UNDEFINED_VAR_BEHAVIOR (error_on_undefined_vars) */
  get errorOnUndefinedVars(): boolean {
    return this.value('DEFAULT_UNDEFINED_VAR_BEHAVIOR');
  }
  get hashBehaviour(): 'replace' | 'merge' {
    return this.value('DEFAULT_HASH_BEHAVIOUR');
  }
  get jinja2Native(): boolean {
    return this.value('DEFAULT_JINJA2_NATIVE');
  }
  get jinja2Extensions(): string[] {
    const v = this.value<unknown>('DEFAULT_JINJA2_EXTENSIONS');
    return Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((x) => x.trim()) : [];
  }
  /** STRING_TYPE_FILTERS ([jinja2] dont_type_filters) */
  get stringTypeFilters(): string[] {
    return this.value('STRING_TYPE_FILTERS');
  }
  get allowUnsafeLookups(): boolean {
    return this.value('DEFAULT_ALLOW_UNSAFE_LOOKUPS');
  }
  get nullRepresentation(): unknown {
    return this.value('DEFAULT_NULL_REPRESENTATION');
  }
  /** ANSIBLE_PIPELINING (the ssh connection's own option is pluginOption('connection','ssh','pipelining')) */
  get pipelining(): boolean {
    return this.value('ANSIBLE_PIPELINING');
  }
  get sshArgs(): string {
    return String(this.pluginOption('connection', 'ssh', 'ssh_args').value);
  }
  get sshCommonArgs(): string {
    return String(this.pluginOption('connection', 'ssh', 'ssh_common_args').value);
  }
  get sshExtraArgs(): string {
    return String(this.pluginOption('connection', 'ssh', 'ssh_extra_args').value);
  }
  /** The ssh connection's use_tty: raw and script run on a terminal (ssh -tt). */
  get sshUseTty(): boolean {
    return this.pluginOption('connection', 'ssh', 'use_tty').value as boolean;
  }
  get sshRetries(): number {
    return this.pluginOption('connection', 'ssh', 'reconnection_retries').value as number;
  }
  get sshControlPathDir(): string {
    return String(this.pluginOption('connection', 'ssh', 'control_path_dir').value);
  }
  get sshControlPath(): string | null {
    return str(this.pluginOption('connection', 'ssh', 'control_path').value);
  }
  get sshTransferMethod(): string | null {
    return str(this.pluginOption('connection', 'ssh', 'ssh_transfer_method').value);
  }
  get sshPipelining(): boolean {
    return this.pluginOption('connection', 'ssh', 'pipelining').value as boolean;
  }
  get remoteTmp(): string {
    return String(this.pluginOption('shell', 'sh', 'remote_tmp').value);
  }
  get localTmp(): string {
    return this.value('DEFAULT_LOCAL_TMP');
  }
  get localhostWarning(): boolean {
    return this.value('LOCALHOST_WARNING');
  }
  get deprecationWarnings(): boolean {
    return this.value('DEPRECATION_WARNINGS');
  }
  get systemWarnings(): boolean {
    return this.value('SYSTEM_WARNINGS');
  }
  get actionWarnings(): boolean {
    return this.value('ACTION_WARNINGS');
  }
  /**
   * command_warnings was removed in ansible-core 2.14 (Ansible ignores it); read for old
   * configuration files, default false, never listed by changed().
   */
  get commandWarnings(): boolean {
    const ini = this.source.ini?.get('defaults', 'command_warnings');
    const raw = this.source.env.ANSIBLE_COMMAND_WARNINGS ?? ini;
    return raw === undefined ? false : ['y', 'yes', 'on', '1', 'true', 't'].includes(raw.trim().toLowerCase());
  }
  /** INTERPRETER_PYTHON (ansible_python_interpreter overrides it per host) */
  get interpreterPython(): string {
    return String(this.value('INTERPRETER_PYTHON'));
  }
  get verbosity(): number {
    return this.value('DEFAULT_VERBOSITY');
  }
  get strategy(): string {
    return String(this.value('DEFAULT_STRATEGY'));
  }
  get forceHandlers(): boolean {
    return this.value('DEFAULT_FORCE_HANDLERS');
  }
  get noLog(): boolean {
    return this.value('DEFAULT_NO_LOG');
  }
  get diffAlways(): boolean {
    return this.value('DIFF_ALWAYS');
  }
  get diffContext(): number {
    return this.value('DIFF_CONTEXT');
  }
  get maxDiffSize(): number {
    return this.value('MAX_FILE_SIZE_FOR_DIFF');
  }
  get runTags(): string[] {
    return this.value('TAGS_RUN');
  }
  get skipTags(): string[] {
    return this.value('TAGS_SKIP');
  }
  get injectFactsAsVars(): boolean {
    return this.value('INJECT_FACTS_AS_VARS');
  }
  get privateRoleVars(): boolean {
    return this.value('DEFAULT_PRIVATE_ROLE_VARS');
  }
  get playbookVarsRoot(): 'top' | 'bottom' | 'all' {
    return this.value('PLAYBOOK_VARS_ROOT');
  }
  get errorOnMissingHandler(): boolean {
    return this.value('ERROR_ON_MISSING_HANDLER');
  }
  get invalidTaskAttributeFailed(): boolean {
    return this.value('INVALID_TASK_ATTRIBUTE_FAILED');
  }
  get taskTimeout(): number {
    return this.value('TASK_TIMEOUT');
  }
  get pollInterval(): number {
    return this.value('DEFAULT_POLL_INTERVAL');
  }
  get executable(): string {
    return String(this.value('DEFAULT_EXECUTABLE'));
  }
  get keepRemoteFiles(): boolean {
    return this.value('DEFAULT_KEEP_REMOTE_FILES');
  }
  get ansibleManaged(): string {
    return String(this.value('DEFAULT_MANAGED_STR'));
  }
  get logPath(): string | null {
    return this.value('DEFAULT_LOG_PATH');
  }
  get duplicateYamlDictKey(): 'warn' | 'error' | 'ignore' {
    return this.value('DUPLICATE_YAML_DICT_KEY');
  }
  get yamlFilenameExtensions(): string[] {
    return this.value('YAML_FILENAME_EXTENSIONS');
  }
  get collectionsPaths(): string[] {
    return this.value('COLLECTIONS_PATHS');
  }
  get modulePath(): string[] {
    return this.value('DEFAULT_MODULE_PATH');
  }
  get ansibleHome(): string {
    return this.value('ANSIBLE_HOME');
  }
  get playbookDir(): string | null {
    return this.value('PLAYBOOK_DIR');
  }
  /** COLOR_*: the colour names of the output (COLOR_OK -> 'green'). */
  color(name: 'CHANGED' | 'CONSOLE_PROMPT' | 'DEBUG' | 'DEPRECATE' | 'DIFF_ADD' | 'DIFF_LINES' | 'DIFF_REMOVE' | 'ERROR' | 'HIGHLIGHT' | 'OK' | 'SKIP' | 'UNREACHABLE' | 'VERBOSE' | 'WARN'): string {
    return String(this.value(`COLOR_${name}`));
  }
}

/** How Ansible prints a deprecation (after `[DEPRECATION WARNING]: `). */
export function formatDeprecation(dep: ConfigDeprecation): string {
  return (
    `${dep.message}. This feature will be removed from ansible-core in version ${dep.version}. ` +
    'Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.'
  );
}
