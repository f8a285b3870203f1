// `-i host1,host2,` — a comma-separated list of hosts (with optional ports) instead of a file.
import { existsSync } from 'node:fs';
import { parseAddress } from '../address.js';
import type { InventoryPlugin } from './plugin.js';

export const hostListPlugin: InventoryPlugin = {
  name: 'host_list',
  aliases: ['ansible.builtin.host_list'],
  verifyFile: (source) => !existsSync(source) && source.includes(','),
  parse(ctx, source) {
    for (const item of source.split(',')) {
      const entry = item.trim();
      if (!entry) continue;
      let host = entry;
      let port: number | undefined;
      try {
        ({ host, port } = parseAddress(entry, false));
      } catch {
        // not an address: the entry is taken as a name as it is
      }
      if (!ctx.data.hosts.has(host)) ctx.data.addHost(host, 'ungrouped', port);
    }
  },
};
