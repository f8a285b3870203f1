// ansible.cfg and ANSIBLE_* settings as Ansible 2.14 reads them.
//
//   const config = loadConfig({ env: process.env, cwd: process.cwd(), home: os.homedir() });
//   config.file            // the ansible.cfg in use, or undefined (`config file = ...`)
//   config.forks, config.rolesPath, config.inventory, config.becomeUser, ...  (typed)
//   config.value('DEFAULT_FORKS'), config.origin('DEFAULT_FORKS')  // by Ansible's name
//   config.pluginOption('connection', 'ssh', 'ssh_args', hostVars)  // vars > env > file > default
//   config.changed()       // `ansible-config dump --only-changed`
//   config.warnings        // print as `[WARNING]: ...`
//   config.deprecations    // print formatDeprecation(d) as `[DEPRECATION WARNING]: ...` when
//                          // config.deprecationWarnings
//
// File search: $ANSIBLE_CONFIG (file or directory), ./ansible.cfg (skipped with a warning in
// a world-writable directory), ~/.ansible.cfg, /etc/ansible/ansible.cfg; first found wins.
// Environment beats the file. Relative paths in path settings are relative to the config
// file's directory (from the file) or to cwd (from the environment). A broken file or a
// value of the wrong type throws ConfigError (an OptionsError, exit 5); Ansible prints these
// as "ERROR: <message>" (colon, not "ERROR!").
export { Config, formatDeprecation, type ResolvedSetting } from './config.js';
export { loadConfig, findConfigFile, resolveSetting, ConfigError, type ConfigDeprecation, type LoadConfigInput } from './load-config.js';
export { BASE_SETTINGS, PLUGIN_SETTINGS, REJECT_EXTS, type PluginType } from './settings.js';
export type { SettingDefinition, SettingType } from './setting.js';
export { IniFile, IniSyntaxError } from './ini-file.js';
export { unfrackPath, expandUser, expandVars } from './paths.js';
export { toBoolean, unquote } from './convert.js';
