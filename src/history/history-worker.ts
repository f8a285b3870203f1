// The history worker thread: opens the database, creates the run, and stores each message
// of the worker sink in order, counting handled messages in shared memory. It never
// throws: problems go back on the error port and later messages are still counted.
import { parentPort, workerData } from 'node:worker_threads';
import type { StoreSink } from './history-sink.js';
import type { WorkerMessage, WorkerSetup } from './worker-sink.js';

const setup = workerData as WorkerSetup;
const handled = new Int32Array(setup.handled);
let sink: StoreSink | undefined;

function report(error: unknown): void {
  setup.errors.postMessage(error instanceof Error ? error.message : String(error));
}

// The store (and better-sqlite3) load here, inside a try: a missing native module is reported, not fatal.
const ready = (async () => {
  try {
    const [{ HistoryStore }, { StoreSink }] = await Promise.all([import('./history-store.js'), import('./history-sink.js')]);
    const store = HistoryStore.openForWriting(setup.path);
    sink = new StoreSink(store, store.startRun(setup.run), setup.secrets, false);
  } catch (error) {
    report(`cannot open ${setup.path}: ${error instanceof Error ? error.message : String(error)}`);
  }
})();

function handle(message: WorkerMessage): void {
  if (!sink) return;
  switch (message.kind) {
    case 'write':
      sink.write(message.batch);
      break;
    case 'recap':
      sink.recap(message.recap, message.customStats);
      break;
    case 'end':
      sink.end(message.endedAt);
      break;
    case 'finish':
      sink.finish(message.exitCode, message.status, message.endedAt);
      break;
  }
  for (const error of sink.takeErrors()) report(error);
}

// Messages are handled one after the other, after the database is open.
let queue: Promise<void> = ready;
parentPort!.on('message', (text: string) => {
  queue = queue.then(() => {
    try {
      handle(JSON.parse(text) as WorkerMessage);
    } catch (error) {
      report(error);
    } finally {
      Atomics.add(handled, 0, 1);
      Atomics.notify(handled, 0);
    }
  });
});
