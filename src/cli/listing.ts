// --list-hosts, --list-tasks and --list-tags, in ansible-playbook's format.
import type { Display } from '../output/display.js';
import type { Block } from '../playbook/block.js';
import { META_ACTIONS } from '../playbook/keywords.js';
import type { Play } from '../playbook/play.js';
import { shouldRunTags, type TagFilter } from '../playbook/tags.js';
import type { InventoryView } from '../vars/inventory-view.js';

export interface ListingRequest {
  hosts: boolean;
  tasks: boolean;
  tags: boolean;
}

function playTags(play: Play): string[] {
  const raw = play.keywords.tags;
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : String(raw).split(',');
  return [...new Set(list.map((t) => String(t).trim()).filter(Boolean))];
}

export function listPlaybook(file: string, plays: Play[], inventory: InventoryView, request: ListingRequest, filter: TagFilter, display: Display): void {
  display.display(`\nplaybook: ${file}`);
  plays.forEach((play, index) => {
    const patterns = (play.keywords.hosts as string[]) ?? [];
    const own = playTags(play);
    let msg = `\n  play #${index + 1} (${patterns.join(',')}): ${play.name}\tTAGS: [${own.join(',')}]`;
    if (request.hosts) {
      const hosts = inventory.selectHosts(patterns);
      msg += `\n    pattern: [${patterns.map((p) => `'${p}'`).join(', ')}]\n    hosts (${hosts.length}):`;
      for (const host of hosts) msg += `\n      ${host}`;
    }
    display.display(msg);
    if (!request.tasks && !request.tags) return;
    const allTags = new Set<string>();
    let text = request.tasks ? '    tasks:\n' : '';
    const walk = (block: Block): void => {
      for (const item of block.block) {
        if (item.kind === 'block') {
          walk(item);
          continue;
        }
        if (META_ACTIONS.has(item.action) && item.implicit) continue;
        if (!shouldRunTags(item.tags(), filter)) continue;
        const tags = item.tags();
        for (const tag of tags) allTags.add(tag);
        if (request.tasks) {
          const current = [...new Set([...own, ...tags])].sort();
          const name = typeof item.keywords.name === 'string' && item.keywords.name ? item.displayName() : item.action;
          text += `      ${name}\tTAGS: [${current.join(', ')}]\n`;
        }
      }
    };
    for (const block of play.blocks) walk(block);
    if (request.tags) text += `      TASK TAGS: [${[...new Set([...own, ...allTags])].sort().join(', ')}]\n`;
    display.display(text);
  });
}
