// Reads YAML (and JSON, a subset of it) the way Ansible does: PyYAML's 1.1 scalars,
// merge keys, duplicate keys resolved last-wins, !unsafe and !vault tags. Produces
// plain JS data and records source positions (see positions.ts).
import { readFileSync } from 'node:fs';
import {
  Alias,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node,
  type ParsedNode,
} from 'yaml';
import { ParserError, registerSource, TsplayError, type SourcePosition } from '../errors.js';
import { decryptIfVault } from '../vault/active-vault.js';
import { pyyamlTags } from './schema.js';
import { setKeyPosition, setPosition } from './positions.js';

export class YamlSyntaxError extends ParserError {
  constructor(problem: string, pos: SourcePosition) {
    super(`Syntax Error while loading YAML.\n  ${problem}`, pos);
    this.name = 'YamlSyntaxError';
  }
}

const PARSE_OPTIONS = {
  version: '1.1' as const,
  schema: 'core',
  customTags: (tags: unknown[]) => [
    ...(tags as { tag: string; collection?: string }[]).filter(
      (t) => t.collection !== undefined || t.tag === 'tag:yaml.org,2002:str',
    ),
    ...pyyamlTags,
  ],
  uniqueKeys: false,
  merge: false,
  keepSourceTokens: false,
  strict: false,
  prettyErrors: false,
  intAsBigInt: false,
};

interface ConvertState {
  file: string;
  lines: LineCounter;
  doc: Document.Parsed;
  anchors: Map<Node, unknown>;
}

function position(state: ConvertState, offset: number): SourcePosition {
  const { line, col } = state.lines.linePos(offset);
  return { file: state.file, line, column: col };
}

function keyString(key: unknown): string {
  if (key === null) return 'None';
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  return String(key);
}

function convert(node: ParsedNode | Node | null | undefined, state: ConvertState): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = (node as Alias).resolve(state.doc);
    if (!target) throw new YamlSyntaxError(`found undefined alias '${(node as Alias).source}'`, position(state, node.range?.[0] ?? 0));
    if (state.anchors.has(target)) return state.anchors.get(target);
    return convert(target, state);
  }
  if (isScalar(node)) {
    return node.value === undefined ? null : node.value;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    if (node.anchor) state.anchors.set(node, out);
    if (node.range) setPosition(out, position(state, node.range[0]));
    for (const item of node.items) out.push(convert(item as Node, state));
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    if (node.anchor) state.anchors.set(node, out);
    if (node.range) setPosition(out, position(state, node.range[0]));
    const merged: Record<string, unknown>[] = [];
    const explicit: [string, unknown][] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
        const value = convert(pair.value as Node, state);
        for (const source of Array.isArray(value) ? value : [value]) {
          if (typeof source !== 'object' || source === null || Array.isArray(source)) {
            throw new YamlSyntaxError(
              'expected a mapping or list of mappings for merging',
              position(state, (pair.value as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? 0),
            );
          }
          merged.push(source as Record<string, unknown>);
        }
        continue;
      }
      const key = keyString(convert(keyNode, state));
      explicit.push([key, convert(pair.value as Node, state)]);
      if (keyNode?.range) setKeyPosition(out, key, position(state, keyNode.range[0]));
    }
    // As PyYAML: merged pairs come first (earlier sources win over later ones), then
    // the mapping's own pairs override them; duplicate keys resolve last-wins.
    for (const source of merged.reverse()) Object.assign(out, source);
    for (const [key, value] of explicit) out[key] = value;
    return out;
  }
  return null;
}

/** Parse every document in a YAML text. Empty documents become null. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  registerSource(file, text);
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines } as never);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list as Document.Parsed[]) {
    const problem = doc.errors[0];
    if (problem) {
      const at = lines.linePos(problem.pos[0]);
      throw new YamlSyntaxError(cleanProblem(problem.message), { file, line: at.line, column: at.col });
    }
    for (const warning of doc.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED') {
        const at = lines.linePos(warning.pos[0]);
        throw new YamlSyntaxError(cleanProblem(warning.message), { file, line: at.line, column: at.col });
      }
    }
    const state: ConvertState = { file, lines, doc, anchors: new Map() };
    out.push(convert(doc.contents, state));
  }
  return out;
}

function cleanProblem(message: string): string {
  // The yaml package appends " at line X, column Y" and a source excerpt; the position is printed separately.
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}

/** Parse a single-document YAML text (an empty text gives null). */
export function parseYaml(text: string, file: string): unknown {
  const docs = parseYamlDocuments(text, file);
  return docs.length === 0 ? null : docs[0];
}

const fileCache = new Map<string, unknown>();

/** Load a YAML/JSON file once per run; later loads of the same path share the data. */
export function loadYamlFile(path: string): unknown {
  if (fileCache.has(path)) return fileCache.get(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TsplayError(`Could not read file '${path}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  // Whole-file vault encryption (vars_files, include_vars, role vars...), as Ansible's DataLoader.
  const data = parseYaml(decryptIfVault(text, path), path);
  fileCache.set(path, data);
  return data;
}
