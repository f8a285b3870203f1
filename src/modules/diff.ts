// Diff data as Ansible's modules and action plugins return it for --diff: the file's
// text before and after with their headers, or the markers Ansible uses instead of text
// for binary or oversized files (the output callback renders all of these).
import type { FileDiff } from './module.js';

/** Ansible's MAX_FILE_SIZE_FOR_DIFF default: larger files are not shown. */
export const MAX_FILE_SIZE_FOR_DIFF = 104448;

/** Bytes as Python's to_text(errors='surrogate_or_strict') would show them (invalid UTF-8 replaced). */
export function bytesToText(data: Buffer): string {
  return data.toString('utf8');
}

export interface DiffSide {
  /** The header: the path the text came from (`dynamically generated` for text made by the task). */
  header: string;
  /** The content; undefined when the file does not exist. */
  data: Buffer | undefined;
}

export interface CurrentFile {
  size: number;
  /** The whole content when size <= MAX_FILE_SIZE_FOR_DIFF, else at least its first 8192 bytes. */
  data: Buffer;
}

/**
 * The before side of an action plugin's diff (_get_diff_data): empty text for a missing
 * file, a marker for a binary or too large one, else the file's text under its path.
 */
export function beforeSide(diff: Record<string, unknown>, destination: string, current: CurrentFile | undefined): void {
  if (current === undefined) diff.before = '';
  else if (current.data.subarray(0, 8192).includes(0)) diff.dst_binary = 1;
  else if (current.size > MAX_FILE_SIZE_FOR_DIFF) diff.dst_larger = MAX_FILE_SIZE_FOR_DIFF;
  else {
    diff.before_header = destination;
    diff.before = bytesToText(current.data);
  }
}

/** The after side of an action plugin's diff for a source file on the controller. */
export function afterSideFromFile(diff: Record<string, unknown>, sourcePath: string, data: Buffer): void {
  if (data.length > MAX_FILE_SIZE_FOR_DIFF) diff.src_larger = MAX_FILE_SIZE_FOR_DIFF;
  else if (data.includes(0)) diff.src_binary = 1;
  else {
    diff.after_header = sourcePath;
    diff.after = bytesToText(data);
  }
}

/** The after side for text produced by the task itself. */
export function afterSideGenerated(diff: Record<string, unknown>, text: string): void {
  diff.after_header = 'dynamically generated';
  diff.after = text;
}

/** A module's own before/after text diff (lineinfile, blockinfile, replace...). */
export function textDiff(path: string, before: string, after: string, headers: { before?: string; after?: string } = {}): FileDiff {
  return {
    before,
    after,
    before_header: headers.before ?? `${path} (content)`,
    after_header: headers.after ?? `${path} (content)`,
  };
}

/** The diff an action plugin shows under no_log: nothing of the content. */
export function hideDiffContent(diff: Record<string, unknown>): Record<string, unknown> {
  const out = { ...diff };
  if ('before' in out) out.before = '';
  if ('after' in out) out.after = " [[ Diff output has been hidden because 'no_log: true' was specified for this result ]]\n";
  return out;
}
