// Per-host state the run accumulates: gathered and cached facts, set_fact and register
// results (non-persistent facts), include_vars. Facts outlive a play; all of it lives for
// the whole run, as in Ansible.

export class HostStore {
  private readonly facts = new Map<string, Record<string, unknown>>();
  private readonly nonPersistent = new Map<string, Record<string, unknown>>();
  private readonly includeVars = new Map<string, Record<string, unknown>>();

  private static slot(map: Map<string, Record<string, unknown>>, host: string): Record<string, unknown> {
    let slot = map.get(host);
    if (!slot) map.set(host, (slot = {}));
    return slot;
  }

  /** The host's facts (one object per host, updated in place so scopes see changes). */
  factsOf(host: string): Record<string, unknown> {
    return HostStore.slot(this.facts, host);
  }

  nonPersistentOf(host: string): Record<string, unknown> {
    return HostStore.slot(this.nonPersistent, host);
  }

  includeVarsOf(host: string): Record<string, unknown> {
    return HostStore.slot(this.includeVars, host);
  }

  private readonly factLayers = new Map<string, Record<string, unknown>>();

  setFacts(host: string, facts: Record<string, unknown>): void {
    Object.assign(this.factsOf(host), facts);
    this.refreshFactsLayer(host);
  }

  /**
   * Facts as variables: each fact under its own name (ansible_hostname...) and all of them
   * under `ansible_facts` without the `ansible_` prefix. One object per host, updated in
   * place, so scopes built earlier see new facts.
   */
  factsLayer(host: string): Record<string, unknown> {
    let layer = this.factLayers.get(host);
    if (!layer) {
      layer = {};
      this.factLayers.set(host, layer);
      this.refreshFactsLayer(host);
    }
    return layer;
  }

  private refreshFactsLayer(host: string): void {
    const layer = this.factLayers.get(host);
    if (!layer) return;
    for (const key of Object.keys(layer)) delete layer[key];
    const facts = this.facts.get(host) ?? {};
    const namespaced: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(facts)) namespaced[key.startsWith('ansible_') ? key.slice(8) : key] = value;
    Object.assign(layer, facts, { ansible_facts: namespaced });
  }

  setNonPersistent(host: string, vars: Record<string, unknown>): void {
    Object.assign(this.nonPersistentOf(host), vars);
  }

  setIncludeVars(host: string, vars: Record<string, unknown>): void {
    Object.assign(this.includeVarsOf(host), vars);
  }

  clearFacts(host: string): void {
    this.facts.delete(host);
    this.refreshFactsLayer(host);
  }
}
