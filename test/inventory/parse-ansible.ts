// Turning Ansible's CLI output into data comparable with tsplay's.
import { ansibleWarnings, type ToolResult } from './ansible-oracle.js';

export interface RecordedInventory {
  output: unknown;
  warnings: string[];
  code: number;
  error?: string;
}

/** ansible-inventory output: JSON for --list, text for --graph; warnings squeezed. */
export function parseAnsibleInventory(args: readonly string[], result: ToolResult): RecordedInventory {
  let output: unknown = result.stdout.replace(/\n$/, '');
  if (!args.includes('--graph')) output = result.stdout.trim() ? JSON.parse(result.stdout) : null;
  const recorded: RecordedInventory = { output, warnings: ansibleWarnings(result.stderr), code: result.code };
  const error = /ERROR! ([\s\S]*)$/.exec(result.stderr);
  if (error) recorded.error = error[1]!.trim();
  return recorded;
}

export interface RecordedListHosts {
  hosts: string[];
  warnings: string[];
  error?: string;
}

/** `ansible ... --list-hosts` output. */
export function parseListHosts(result: ToolResult): RecordedListHosts {
  const hosts = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('    '))
    .map((l) => l.trim());
  const recorded: RecordedListHosts = { hosts, warnings: ansibleWarnings(result.stderr) };
  const error = /ERROR! ([\s\S]*)$/.exec(result.stderr);
  if (error) recorded.error = error[1]!.trim();
  return recorded;
}
