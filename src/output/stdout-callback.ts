// Chooses the stdout callback (ansible.cfg stdout_callback / ANSIBLE_STDOUT_CALLBACK).
import type { Config } from '../config/index.js';
import { TsplayError } from '../errors.js';
import { DefaultCallback } from './default-callback.js';
import type { Display } from './display.js';
import type { OutputCallback } from './events.js';
import { JsonCallback } from './json-callback.js';

export function createStdoutCallback(config: Config, display: Display): OutputCallback {
  const name = config.stdoutCallback.replace(/^ansible\.(builtin|posix)\./, '');
  const options = {
    displaySkippedHosts: config.displaySkippedHosts,
    displayOkHosts: config.displayOkHosts,
    displayFailedStderr: config.displayFailedStderr,
    showCustomStats: config.showCustomStats,
    checkModeMarkers: config.checkModeMarkers,
    showTaskPathOnFailure: config.showTaskPathOnFailure,
    diffContext: config.diffContext,
  };
  switch (name) {
    case 'default':
      return new DefaultCallback(display, options);
    case 'json':
      return new JsonCallback(display);
    default:
      throw new TsplayError(`Invalid callback for stdout specified: ${config.stdoutCallback}`);
  }
}
