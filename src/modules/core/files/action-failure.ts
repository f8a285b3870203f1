// Failures raised by Ansible's action plugins (AnsibleActionFail) carry an `exception`
// key: the traceback being handled, or "NoneType: None" when there is none. The default
// callback prints its last line ("An exception occurred during task execution..."), so
// tsplay's results carry the same key with the same last line.
import { ModuleFailure } from '../../module.js';

const NO_EXCEPTION = 'NoneType: None\n';

/** An action failure with no exception being handled. */
export function actionFailure(message: string, extra: Record<string, unknown> = {}): ModuleFailure {
  return new ModuleFailure(message, { ...extra, exception: NO_EXCEPTION });
}

/** An action failure raised while handling `cause` (its last traceback line is `Class: text`). */
export function actionFailureFrom(message: string, causeClass: string, causeText: string, extra: Record<string, unknown> = {}): ModuleFailure {
  return new ModuleFailure(message, { ...extra, exception: `Traceback (most recent call last):\n  File "tsplay", in action\n${causeClass}: ${causeText}\n` });
}
