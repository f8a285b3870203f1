// The one place where tsplay changes how ssh2's client behaves, reaching into its
// internals; each change falls back to ssh2's own behaviour if those internals move.
import ssh2, { type Client, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { utils } = ssh2;

type GlobalRequestHandler = (protocol: { requestSuccess(): void }, name: string, wantReply: boolean, data: unknown) => void;

/**
 * After authentication OpenSSH's sshd announces all its host keys (hostkeys-00@openssh.com)
 * and ssh2 at once asks it to prove each one: a signature per host key on the server and a
 * verification each here, on every connection. tsplay never records those keys (as ssh
 * with UpdateHostKeys=no), so the announcement is acknowledged and dropped.
 * Call right after client.connect(), which creates the protocol handlers.
 */
export function ignoreHostKeyAnnouncements(client: Client): void {
  const handlers = (client as unknown as { _protocol?: { _handlers?: Record<string, GlobalRequestHandler> } })._protocol?._handlers;
  const original = handlers?.['GLOBAL_REQUEST'];
  if (handlers === undefined || original === undefined) return;
  handlers['GLOBAL_REQUEST'] = (protocol, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return original(protocol, name, wantReply, data);
    if (wantReply) protocol.requestSuccess();
  };
}

/**
 * Sends small SSH packets at once (TCP_NODELAY). ssh2 leaves Nagle's algorithm on, and
 * non-interactive sshd sessions leave delayed ACKs on: a command written while the
 * previous packet is unacknowledged then waits for the peer's delayed ACK, ~40 ms, several
 * times during a handshake and often per command. Call right after client.connect().
 */
export function sendWithoutDelay(client: Client): void {
  client.setNoDelay(true);
}

/** Private keys parsed once per run: every connection with the same identity file reuses it. */
const parsedKeys = new Map<string, ParsedKey | Error>();

/**
 * A private key file's content parsed as ssh2 parses it (the first key of the file), or why
 * it cannot be used. ssh2 takes the parsed key as it is, so it is not parsed again per
 * connection (an OpenSSH ed25519 key costs ~1 ms of CPU to parse).
 */
export function parsePrivateKey(data: Buffer): ParsedKey | Error {
  const cacheKey = data.toString('latin1');
  let parsed = parsedKeys.get(cacheKey);
  if (parsed === undefined) {
    parsed = utils.parseKey(data);
    parsedKeys.set(cacheKey, parsed);
  }
  return parsed;
}
