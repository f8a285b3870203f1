// One 'abort' listener per AbortSignal for every command of every SSH connection. The
// engine passes the run's single signal to each module command on each host; a listener
// per command would pass EventTarget's limit of 10 as soon as 11 commands run at once
// (forks > 10) and Node would print a MaxListenersExceededWarning.

const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` when `signal` aborts; returns the unsubscribe function. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = subscribers.get(signal);
  if (!callbacks) {
    const created = new Set<() => void>();
    subscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        const all = [...created];
        created.clear();
        for (const call of all) call();
      },
      { once: true },
    );
    callbacks = created;
  }
  const set = callbacks;
  set.add(callback);
  return () => {
    set.delete(callback);
  };
}
