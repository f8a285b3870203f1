// Handler notification: which handler each notify name reaches (by name, `role : name`
// or listen topic) and which hosts are waiting for it. Handlers run in the order they
// are defined, at the next flush, once per notified host.
import type { Block } from '../playbook/block.js';
import type { Task } from '../playbook/task.js';

export class HandlerRegistry {
  /** Handlers in definition order. */
  readonly handlers: Task[];
  private readonly notified = new Map<Task, Set<string>>();

  constructor(handlerBlocks: readonly Block[]) {
    this.handlers = handlerBlocks.flatMap((b) => [...b.tasks()]);
  }

  /** Add handlers brought in at run time (include_role). */
  addHandlers(blocks: readonly Block[]): void {
    for (const block of blocks) for (const task of block.tasks()) if (!this.handlers.includes(task)) this.handlers.push(task);
  }

  /**
   * Handlers a notify name reaches: the last handler whose name matches (plain, or
   * `role : name`), plus every handler listening to the topic.
   */
  resolve(name: string, nameOf: (handler: Task) => string): Task[] {
    const found: Task[] = [];
    for (let i = this.handlers.length - 1; i >= 0; i--) {
      const handler = this.handlers[i]!;
      const own = nameOf(handler);
      if (!own) continue;
      const candidates = [own, handler.role ? `${handler.role.name} : ${own}` : own];
      if (candidates.includes(name)) {
        found.push(handler);
        break;
      }
    }
    for (const handler of this.handlers) {
      if (handler.listenTopics().includes(name) && !found.includes(handler)) found.push(handler);
    }
    return found;
  }

  /** Mark a handler as notified for a host; false when it already was. */
  notify(handler: Task, host: string): boolean {
    let hosts = this.notified.get(handler);
    if (!hosts) this.notified.set(handler, (hosts = new Set()));
    if (hosts.has(host)) return false;
    hosts.add(host);
    return true;
  }

  isNotified(handler: Task, host: string): boolean {
    return this.notified.get(handler)?.has(host) ?? false;
  }

  /** The handler ran (or was given up) for a host. */
  clear(handler: Task, host: string): void {
    this.notified.get(handler)?.delete(host);
  }

  /** Forget every notification for a host (it failed or was removed). */
  clearHost(host: string): void {
    for (const hosts of this.notified.values()) hosts.delete(host);
  }

  hasPending(hosts: readonly string[]): boolean {
    for (const set of this.notified.values()) for (const host of hosts) if (set.has(host)) return true;
    return false;
  }
}
