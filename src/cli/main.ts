// `tsplay`: ansible-playbook's command line. Loads config, inventory and every playbook,
// validates them before any host is touched, then runs them and exits with
// ansible-playbook's exit codes.
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { EXIT, TsplayError } from '../errors.js';
import { sshConnectionFactory } from '../connection/ssh/index.js';
import { AsyncJobs } from '../executor/async-jobs.js';
import { ConnectionPool, registerConnectionType } from '../executor/connections.js';
import { runPlaybook } from '../executor/playbook-executor.js';
import type { ExecutionOptions, RunContext } from '../executor/run-context.js';
import { AggregateStats } from '../executor/stats.js';
import { inventoryOptionsFromConfig } from '../inventory/from-config.js';
import { Inventory, InventoryLoadError, loadInventory } from '../inventory/inventory.js';
import { registerBuiltinModules } from '../modules/index.js';
import { isKnownAnsibleModule } from '../modules/known-ansible-modules.js';
import { findModule } from '../modules/registry.js';
import { shouldColor } from '../output/colors.js';
import { Display } from '../output/display.js';
import { CallbackFanout } from '../output/events.js';
import { createStdoutCallback } from '../output/stdout-callback.js';
import { createTimingCallbacks } from '../output/profile/index.js';
import { createProgressView } from '../output/progress/index.js';
import { startRunHistory } from '../history/index.js';
import type { LoadOptions } from '../playbook/loader/load-context.js';
import { checkPlaybookFile, loadPlaybook } from '../playbook/loader/playbook-loader.js';
import type { Play } from '../playbook/play.js';
import type { RoleDefinition } from '../playbook/role.js';
import type { TagFilter } from '../playbook/tags.js';
import { validatePlays } from '../playbook/validate.js';
import { createTemplar, TemplateError } from '../template/index.js';
import { createVaultLib, InputReader, installVault, terminalPrompter } from '../vault/index.js';
import { loadExtraVars } from '../vars/extra-vars.js';
import { HostStore } from '../vars/host-store.js';
import { VariableManager } from '../vars/variable-manager.js';
import { listPlaybook } from './listing.js';
import { HELP, parseCliOptions, UsageError, USAGE, type CliOptions } from './options.js';
import { runPasswords, type RunPasswords } from './passwords.js';
import { packageVersion } from './package-info.js';
import { versionText } from './version.js';

function splitTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
}

function executionOptions(cli: CliOptions, config: Config, tags: TagFilter, passwords: RunPasswords): ExecutionOptions {
  return {
    checkMode: cli.check,
    diffMode: cli.diff || config.diffAlways,
    forks: cli.forks ?? config.forks,
    verbosity: cli.verbosity || config.verbosity,
    tags,
    startAtTask: cli.startAtTask,
    become: cli.become || config.become,
    becomeMethod: cli.becomeMethod ?? config.becomeMethod,
    becomeUser: cli.becomeUser ?? config.becomeUser,
    becomePassword: passwords.become,
    remoteUser: cli.remoteUser ?? config.remoteUser ?? undefined,
    connection: cli.connection ?? config.transport,
    privateKeyFile: cli.privateKey ?? config.privateKeyFile ?? undefined,
    timeout: cli.timeout ?? config.timeout,
    hostKeyChecking: config.hostKeyChecking,
    forceHandlers: cli.forceHandlers || config.forceHandlers,
    anyErrorsFatal: config.anyErrorsFatal,
    gathering: config.gathering,
    gatherSubset: config.gatherSubset ?? ['all'],
    strategy: config.strategy,
    errorOnUndefinedVars: config.errorOnUndefinedVars,
    errorOnMissingHandler: config.errorOnMissingHandler,
    displayArgsToStdout: false,
    retryFilesEnabled: config.retryFilesEnabled,
    retryFilesSavePath: config.retryFilesSavePath ?? undefined,
    sshCommonArgs: cli.sshCommonArgs ?? config.sshCommonArgs,
    sshExtraArgs: cli.sshExtraArgs ?? config.sshExtraArgs,
  };
}

interface LoadedPlaybook {
  file: string;
  plays: Play[];
  roleDefinitions: Map<string, RoleDefinition>;
}

export async function main(argv: readonly string[]): Promise<number> {
  const env = process.env;
  const cwd = process.cwd();
  let display = new Display({ verbosity: 0, color: false });
  let connections: ConnectionPool | undefined;
  const abort = new AbortController();
  // Every running command listens for the abort: with many hosts that is many listeners.
  setMaxListeners(0, abort.signal);
  // Ctrl-C / SIGTERM: start no new task, stop running commands (connections close), print
  // the recap so far and exit 99. A second signal exits at once.
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(EXIT.INTERRUPTED);
    abort.abort();
    void connections?.closeAll();
  };
  try {
    const cli = parseCliOptions(argv);
    if (cli.help) {
      process.stdout.write(`${HELP}\n`);
      return EXIT.OK;
    }
    const config = loadConfig({ env, cwd, home: homedir() });
    if (cli.version) {
      process.stdout.write(`${versionText(config.file)}\n`);
      return EXIT.OK;
    }
    const verbosity = cli.verbosity || config.verbosity;
    display = new Display({
      verbosity,
      color: shouldColor(process.stdout, { noColor: config.noColor, forceColor: config.forceColor }),
      width: process.stdout.isTTY ? process.stdout.columns : undefined,
    });
    for (const warning of config.warnings) display.warning(warning);
    if (verbosity > 0) display.display(`Using ${config.file ?? 'no config file'}${config.file ? ' as config file' : ''}`);
    for (const file of cli.playbooks) checkPlaybookFile(resolve(cwd, file), file);

    // Secrets first, as Ansible: the connection and become passwords (unless only listing
    // or checking syntax), then the vault's, since inventories, vars files and playbooks
    // may be encrypted.
    const prompter = terminalPrompter({ stdin: new InputReader(process.stdin), stdout: process.stdout, stderr: process.stderr });
    const passwords: RunPasswords =
      cli.listHosts || cli.listTasks || cli.listTags || cli.syntaxCheck
        ? { connection: undefined, become: undefined }
        : await runPasswords(cli, config, {
            cwd,
            home: homedir(),
            prompter,
            verbose: (level, message) => display.verbose(level, message),
            readStdin: () => readFileSync(0),
          });
    installVault(
      await createVaultLib(cli, config, {
        cwd,
        prompter,
        warn: (message, formatted) => display.warning(message, formatted),
        verbose: (level, message) => display.verbose(level, message),
      }),
    );

    const tags: TagFilter = {
      only: cli.tags.length ? splitTags(cli.tags) : config.runTags.length ? config.runTags : ['all'],
      skip: cli.skipTags.length ? splitTags(cli.skipTags) : config.skipTags,
    };
    const extraVars = loadExtraVars(cli.extraVars, cwd);
    let inventory: Inventory;
    try {
      inventory = loadInventory(cli.inventory.length ? cli.inventory : config.inventory, inventoryOptionsFromConfig(config, { cwd, env, home: homedir() }));
    } catch (error) {
      if (error instanceof InventoryLoadError) for (const warning of error.warnings) display.warning(warning);
      throw error;
    }
    try {
      inventory.checkHostList(cli.limit.length ? cli.limit : undefined);
    } finally {
      for (const warning of inventory.takeWarnings()) display.warning(warning);
    }

    registerBuiltinModules();
    const templar = createTemplar({ searchPath: [cwd] });
    const loadOptions: LoadOptions = {
      rolesPath: config.rolesPath,
      extraVars,
      templar,
      moduleExists: (name) => findModule(name) !== undefined,
      moduleKnownToAnsible: isKnownAnsibleModule,
    };

    const playbooks: LoadedPlaybook[] = [];
    for (const file of cli.playbooks) {
      const roleDefinitions = new Map<string, RoleDefinition>();
      playbooks.push({ file, plays: loadPlaybook(resolve(cwd, file), loadOptions, roleDefinitions), roleDefinitions });
    }

    if (cli.listHosts || cli.listTasks || cli.listTags) {
      for (const playbook of playbooks) {
        listPlaybook(playbook.file, playbook.plays, inventory, { hosts: cli.listHosts, tasks: cli.listTasks, tags: cli.listTags }, tags, display);
      }
      return EXIT.OK;
    }
    for (const playbook of playbooks) validatePlays(playbook.plays, tags);
    if (cli.syntaxCheck) {
      for (const playbook of playbooks) display.display(`\nplaybook: ${playbook.file}`);
      return EXIT.OK;
    }

    const options = executionOptions(cli, config, tags, passwords);
    registerConnectionType(
      ['ssh'],
      sshConnectionFactory(
        {
          remoteUser: options.remoteUser,
          privateKeyFile: options.privateKeyFile,
          timeout: options.timeout,
          hostKeyChecking: options.hostKeyChecking,
          sshArgs: config.sshArgs,
          sshCommonArgs: options.sshCommonArgs,
          sshExtraArgs: options.sshExtraArgs,
          password: passwords.connection,
          useTty: config.sshUseTty,
        },
        {
          onWarning: (message) => display.warning(message),
          onVerbose: verbosity >= 3 ? (message, host) => display.verbose(3, message, host) : undefined,
        },
      ),
    );
    connections = new ConnectionPool();
    const callbacks = new CallbackFanout([
      createStdoutCallback(config, display),
      ...createTimingCallbacks(config, display, { profile: cli.profile }),
      ...(await startRunHistory({
        config, argv, playbooks: cli.playbooks, cwd, env, checkMode: options.checkMode, version: packageVersion(),
        secrets: [options.becomePassword, passwords.connection], warn: (message) => display.warning(message),
      })),
      ...createProgressView(display, { disabled: cli.noProgress }),
    ]);
    const hostStore = new HostStore();
    const run: RunContext = {
      options,
      display,
      callbacks,
      stats: new AggregateStats(),
      inventory,
      hostStore,
      variables: new VariableManager(inventory, hostStore, extraVars, {
        checkMode: options.checkMode,
        diffMode: options.diffMode,
        forks: options.forks,
        verbosity: options.verbosity,
        runTags: tags.only,
        skipTags: tags.skip,
        configFile: config.file,
      }),
      templar,
      connections,
      signal: abort.signal,
      failedHosts: new Set(),
      unreachableHosts: new Set(),
      startAt: cli.startAtTask === undefined ? undefined : { pattern: cli.startAtTask, matched: false },
      asyncJobs: new AsyncJobs(),
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let code: number = EXIT.OK;
    for (const playbook of playbooks) {
      code = await runPlaybook({ file: playbook.file, plays: playbook.plays, roleDefinitions: playbook.roleDefinitions }, run, loadOptions);
      if (code !== EXIT.OK || abort.signal.aborted) break;
    }
    await callbacks.close();
    if (run.startAt && !run.startAt.matched) {
      display.error(`No matching task "${run.startAt.pattern}" found. Note: --start-at-task can only follow static includes.`);
    }
    if (abort.signal.aborted) {
      display.display(' [ERROR]: User interrupted execution', { color: 'error', stderr: true });
      return EXIT.INTERRUPTED;
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${USAGE}\ntsplay: error: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      // Ansible reports configuration problems as "ERROR: ..." (a colon, not "!").
      display.display(`ERROR: ${error.message}`, { color: 'error', stderr: true });
      return error.exitCode;
    }
    if (error instanceof TsplayError) {
      display.error(error.describe());
      return error.exitCode;
    }
    if (error instanceof TemplateError) {
      // A template rendered while loading (an import's file name, a role name): Ansible's
      // AnsibleTemplateError is a user error like any other (exit 1), not a crash.
      display.error(error.message);
      return EXIT.ERROR;
    }
    const message = error instanceof Error ? error.message : String(error);
    display.error(`Unexpected Exception, this is probably a bug: ${message}`);
    if (display.verbosity >= 3 && error instanceof Error && error.stack) display.display(error.stack, { stderr: true });
    else display.display('to see the full traceback, use -vvv', { stderr: true });
    return EXIT.UNEXPECTED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await connections?.closeAll();
    await display.drain();
  }
}
