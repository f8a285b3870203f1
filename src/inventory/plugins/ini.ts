// INI inventories: `[group]` host lines with inline key=value variables, `[group:vars]`
// and `[group:children]` sections, ranges and ports in host patterns. Variable values are
// read as Python literals (numbers, True/False/None, quoted strings, lists, dicts) the way
// Ansible reads them, and kept as text when they are not literals.
import { readFileSync } from 'node:fs';
import { TsplayError, type SourcePosition } from '../../errors.js';
import { expandHostPattern } from '../address.js';
import { readMaybeVaulted, VAULT_HEADER } from '../data-file.js';
import { toSafeGroupName } from '../inventory-data.js';
import { literalEval } from '../python-literal.js';
import { shlexSplit, ShlexError } from '../shlex.js';
import { InventorySourceError, isReadablePath, type InventoryPlugin, type InventoryPluginContext } from './plugin.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const COMMENT_MARKERS = [';', '#'];
// str.splitlines() boundaries
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** A value of an INI inventory: a Python literal when it is one, else the text. */
export function parseIniValue(text: string): unknown {
  const result = literalEval(text);
  return result.ok ? result.value : text;
}

interface Pending {
  line: number;
  state: 'vars' | 'children';
  name: string;
  parents: string[];
}

function decodeLines(bytes: Buffer, file: string): string[] {
  // ignoreBOM keeps a byte order mark in the text, as Python's utf-8 codec does
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(bytes).split(LINE_BREAKS);
  } catch {
    // Non-UTF-8 bytes are tolerated in comment lines only.
    return bytes
      .toString('latin1')
      .split(LINE_BREAKS)
      .map((latin, index) => {
        if (latin && COMMENT_MARKERS.includes(latin[0]!)) return '';
        try {
          return decoder.decode(Buffer.from(latin, 'latin1'));
        } catch {
          throw new TsplayError(`'utf-8' codec can't decode bytes in ${file} line ${index + 1}`);
        }
      });
  }
}

class IniParser {
  private lineno = 0;
  private column = 1;

  constructor(
    private readonly ctx: InventoryPluginContext,
    private readonly file: string,
  ) {}

  private pos(): SourcePosition {
    return { file: this.file, line: this.lineno, column: this.column };
  }

  /** Errors with Ansible's `path:line: ` prefix. */
  private error(message: string): TsplayError {
    return new InventorySourceError(`${this.file}:${this.lineno}: ${message}`, { pos: this.pos() });
  }

  parse(lines: string[]): void {
    const data = this.ctx.data;
    const pending = new Map<string, Pending>();
    let groupName = 'ungrouped';
    let state = 'hosts';
    for (const raw of lines) {
      this.lineno++;
      const line = raw.trim();
      this.column = raw.length - raw.trimStart().length + 1;
      if (!line || COMMENT_MARKERS.includes(line[0]!)) continue;

      const section = SECTION.exec(line);
      if (section) {
        groupName = toSafeGroupName(section[1]!, data.transformInvalidGroupChars, this.ctx.warn);
        state = section[2] ?? 'hosts';
        if (!['hosts', 'children', 'vars'].includes(state)) {
          throw this.error(`Section [${section[1]}:${state}] has unknown type: ${state}`);
        }
        if (!data.groups.has(groupName)) {
          // [g:vars] alone does not declare g: remember it and check at the end.
          if (state === 'vars' && !pending.has(groupName)) {
            pending.set(groupName, { line: this.lineno, state: 'vars', name: groupName, parents: [] });
          }
          data.addGroup(groupName);
        }
        const waiting = pending.get(groupName);
        if (waiting && state !== 'vars') {
          if (waiting.state === 'children') this.addPendingChildren(groupName, pending);
          else pending.delete(groupName);
        }
        continue;
      }
      if (line.startsWith('[') && line.endsWith(']')) {
        throw this.error(
          `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, ` +
            'and that there are no other invalid characters',
        );
      }

      if (state === 'hosts') {
        const { hostnames, port, vars } = this.parseHostDefinition(line);
        for (const host of hostnames) {
          data.addHost(host, groupName, port);
          for (const [k, v] of Object.entries(vars)) data.setVariable(host, k, v);
        }
      } else if (state === 'vars') {
        const [key, value] = this.parseVariableDefinition(line);
        data.setVariable(groupName, key, value);
      } else {
        const m = GROUP_NAME.exec(line);
        if (!m) throw this.error(`Expected group name, got: ${line}`);
        const child = m[1]!;
        if (!data.groups.has(child)) {
          const waiting = pending.get(child);
          if (!waiting) pending.set(child, { line: this.lineno, state: 'children', name: child, parents: [groupName] });
          else waiting.parents.push(groupName);
        } else {
          data.addChild(groupName, child);
        }
      }
    }

    for (const decl of pending.values()) {
      const at: SourcePosition = { file: this.file, line: decl.line, column: 1 };
      if (decl.state === 'vars') {
        throw new InventorySourceError(`${this.file}:${decl.line}: Section [${decl.name}:vars] not valid for undefined group: ${decl.name}`, { pos: at });
      }
      throw new InventorySourceError(
        `${this.file}:${decl.line}: Section [${decl.parents.at(-1)}:children] includes undefined group: ${decl.name}`,
        { pos: at },
      );
    }
  }

  private addPendingChildren(group: string, pending: Map<string, Pending>): void {
    for (const parent of pending.get(group)!.parents) {
      this.ctx.data.addChild(parent, group);
      const parentPending = pending.get(parent);
      if (parentPending && parentPending.state === 'children') this.addPendingChildren(parent, pending);
    }
    pending.delete(group);
  }

  private parseVariableDefinition(line: string): [string, unknown] {
    const eq = line.indexOf('=');
    if (eq < 0) throw this.error(`Expected key=value, got: ${line}`);
    return [line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim())];
  }

  private parseHostDefinition(line: string): { hostnames: string[]; port: number | undefined; vars: Record<string, unknown> } {
    let tokens: string[];
    try {
      tokens = shlexSplit(line, { comments: true });
    } catch (err) {
      if (err instanceof ShlexError) throw this.error(`Error parsing host definition '${line}': ${err.message}`);
      throw err;
    }
    const pattern = tokens[0] ?? '';
    const { hostnames, port } = this.expandHostPattern(pattern);
    const vars: Record<string, unknown> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq < 0) throw this.error(`Expected key=value host variable assignment, got: ${token}`);
      vars[token.slice(0, eq)] = parseIniValue(token.slice(eq + 1));
    }
    return { hostnames, port, vars };
  }

  private expandHostPattern(pattern: string): { hostnames: string[]; port: number | undefined } {
    let expanded: { hostnames: string[]; port: number | undefined };
    try {
      expanded = expandHostPattern(pattern);
    } catch (err) {
      if (err instanceof TsplayError) throw new InventorySourceError(err.message, { pos: this.pos() });
      throw err;
    }
    if (pattern.trim().endsWith(':') && expanded.port === undefined) {
      throw new InventorySourceError(
        `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
        { pos: this.pos() },
      );
    }
    if (expanded.hostnames.some((h) => h.trim() === '---')) {
      throw new InventorySourceError(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`, {
        pos: this.pos(),
      });
    }
    return expanded;
  }
}

export const iniPlugin: InventoryPlugin = {
  name: 'ini',
  aliases: ['ansible.builtin.ini'],
  verifyFile: (source) => isReadablePath(source),
  parse(ctx, source) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      throw new TsplayError(`Could not read ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
    }
    const lines = bytes.subarray(0, VAULT_HEADER.length).toString('latin1') === VAULT_HEADER
      ? readMaybeVaulted(source).split(LINE_BREAKS)
      : decodeLines(bytes, source);
    new IniParser(ctx, source).parse(lines);
  },
};
