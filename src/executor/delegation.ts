// Which connection a task uses on a host: the host's own, or with delegate_to the
// delegate's (its inventory variables, or an implicit host when it is not in the
// inventory; localhost is local). Connection variables are templated here.
import type { Connection } from '../connection/connection.js';
import type { LayeredScope, VarScope } from '../vars/scope.js';
import { CONNECTION_KEYS } from './connections.js';
import type { TaskJob } from './task-executor.js';
import type { TaskSettings } from './task-settings.js';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** Variables that say how to reach a host: the connection's own, the transport, become, the interpreter. */
const CONNECTION_VARIABLES = [
  ...CONNECTION_KEYS, 'ansible_connection', 'ansible_become_password', 'ansible_become_pass', 'ansible_python_interpreter',
];
function templatedConnectionVars(scope: VarScope, job: TaskJob): Record<string, unknown> {
  const templar = job.run.templar;
  const out: Record<string, unknown> = {};
  for (const name of CONNECTION_VARIABLES) {
    if (!scope.has(name)) continue;
    const raw = scope.get(name);
    out[name] = typeof raw === 'string' && templar.isTemplate(raw) ? templar.template(raw, scope) : raw;
  }
  return out;
}

export async function connectionFor(job: TaskJob, settings: TaskSettings, scope: LayeredScope): Promise<{ connection: Connection; vars: Record<string, unknown> }> {
  const { run } = job;
  const delegate = settings.delegateTo;
  let target = job.host;
  let vars: Record<string, unknown>;
  let transport: string;
  if (delegate && delegate !== job.host) {
    target = delegate;
    if (run.inventory.hasHost(delegate)) {
      vars = templatedConnectionVars(job.playVars.scope(delegate, job.task), job);
    } else {
      vars = { ansible_host: delegate };
      if (LOCAL_NAMES.has(delegate)) vars.ansible_connection = 'local';
    }
    transport = String(vars.ansible_connection ?? job.task.inherited('connection') ?? run.options.connection ?? 'smart');
  } else {
    vars = templatedConnectionVars(scope, job);
    transport = settings.connection;
  }
  if (settings.remoteUser !== undefined && vars.ansible_user === undefined) vars.ansible_user = settings.remoteUser;
  return { connection: run.connections.get({ transport, host: target, vars }), vars };
}
