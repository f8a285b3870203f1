// Loopback addresses for test hosts. Test files run in parallel processes, so each
// process draws from a random spot of a range no one else uses (127.64.0.0/10) and
// the host start retries on the rare collision (sshd cannot bind).
import { randomInt } from 'node:crypto';

const taken = new Set<string>();

export function allocateAddress(): string {
  for (;;) {
    const address = `127.${randomInt(64, 128)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (!taken.has(address)) {
      taken.add(address);
      return address;
    }
  }
}
