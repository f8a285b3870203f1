// The order ssh tries user authentication in: the agent's keys, the identity files,
// then keyboard-interactive and password when a password is known. Each method is
// offered only if the server still accepts it.
import { readFile } from 'node:fs/promises';
import type { AuthHandlerMiddleware, AuthenticationType, KeyboardInteractiveCallback, ParsedKey, Prompt } from 'ssh2';
import type { Endpoint } from './endpoint.js';
import { parsePrivateKey } from './ssh2-extensions.js';

export interface AuthPlan {
  handler: AuthHandlerMiddleware;
  /** Methods the server listed last (for "Permission denied (publickey,password)."). */
  serverMethods(): string[];
  /** Why some identity could not be used (encrypted without agent, unreadable...). */
  notes: string[];
}

interface LoadedKey {
  path: string;
  key: ParsedKey;
}

async function loadIdentities(endpoint: Endpoint, notes: string[]): Promise<LoadedKey[]> {
  const keys: LoadedKey[] = [];
  for (const path of endpoint.identityFiles) {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!endpoint.defaultIdentities && code !== 'ENOENT') notes.push(`cannot read identity file ${path}: ${code}`);
      else if (!endpoint.defaultIdentities) notes.push(`no such identity: ${path}`);
      continue;
    }
    const parsed = parsePrivateKey(data);
    if (parsed instanceof Error) {
      notes.push(/encrypted/i.test(parsed.message) ? `the key ${path} is encrypted (load it into ssh-agent)` : `cannot use the key ${path}: ${parsed.message}`);
      continue;
    }
    keys.push({ path, key: parsed });
  }
  return keys;
}

type Attempt = { method: AuthenticationType; build: (username: string) => Parameters<Parameters<AuthHandlerMiddleware>[2]>[0] };

export async function planAuthentication(endpoint: Endpoint, password: string | undefined, passwordAllowed: () => boolean): Promise<AuthPlan> {
  const notes: string[] = [];
  const attempts: Attempt[] = [{ method: 'none', build: (username) => ({ type: 'none', username }) }];
  const publickey: Attempt[] = [];
  if (endpoint.pubkeyAuthentication) {
    if (endpoint.identityAgent !== undefined && !endpoint.identitiesOnly) {
      const agent = endpoint.identityAgent;
      publickey.push({ method: 'agent' as AuthenticationType, build: (username) => ({ type: 'agent', username, agent }) });
    }
    for (const identity of await loadIdentities(endpoint, notes)) {
      publickey.push({ method: 'publickey', build: (username) => ({ type: 'publickey', username, key: identity.key }) });
    }
  }
  const interactive: Attempt[] = [];
  if (password !== undefined && endpoint.kbdInteractiveAuthentication) {
    interactive.push({
      method: 'keyboard-interactive',
      build: (username) => ({
        type: 'keyboard-interactive',
        username,
        prompt: (_name: string, _instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) =>
          finish(prompts.map((p) => (/password/i.test(p.prompt) ? password : ''))),
      }),
    });
  }
  const passwordAttempts: Attempt[] =
    password !== undefined && endpoint.passwordAuthentication ? [{ method: 'password', build: (username) => ({ type: 'password', username, password }) }] : [];

  const byMethod: Record<string, Attempt[]> = { publickey, 'keyboard-interactive': interactive, password: passwordAttempts };
  const order = endpoint.preferredAuthentications ?? ['publickey', 'keyboard-interactive', 'password'];
  for (const method of order) attempts.push(...(byMethod[method] ?? []));

  let serverMethods: string[] = [];
  let next = 0;
  const handler: AuthHandlerMiddleware = (methodsLeft, _partial, callback) => {
    if (methodsLeft) serverMethods = methodsLeft;
    while (next < attempts.length) {
      const attempt = attempts[next++]!;
      const wireMethod = attempt.method === ('agent' as AuthenticationType) ? 'publickey' : attempt.method;
      if (attempt.method !== 'none' && methodsLeft && !methodsLeft.includes(wireMethod)) continue;
      // A changed host key (accepted with StrictHostKeyChecking=no) rules passwords out, as in ssh.
      if ((wireMethod === 'password' || wireMethod === 'keyboard-interactive') && !passwordAllowed()) continue;
      return callback(attempt.build(endpoint.user));
    }
    return callback(false as unknown as AuthenticationType);
  };
  return { handler, serverMethods: () => serverMethods, notes };
}
