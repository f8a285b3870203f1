// Reads a playbook file into its plays, following import_playbook (with its when, vars
// and tags applied to the imported plays).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ParserError, TsplayError } from '../../errors.js';
import { pyTypeRepr } from '../../yaml/python-types.js';
import { positionOf } from '../../yaml/positions.js';
import { IMPORT_PLAYBOOK_ACTIONS } from '../keywords.js';
import { Play } from '../play.js';
import type { RoleDefinition } from '../role.js';
import { isFile, loadDataFile } from './files.js';
import type { LoadOptions } from './load-context.js';
import { loadPlay } from './play-loader.js';
import { templateWhileLoading } from './load-template.js';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** ansible-playbook's first check, before the inventory or anything else is read. */
export function checkPlaybookFile(path: string, asGiven: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new TsplayError(`the playbook: ${asGiven} could not be found`);
  }
  if (!stats.isFile() && !stats.isFIFO()) throw new TsplayError(`the playbook: ${asGiven} does not appear to be a file`);
}

export function loadPlaybook(
  path: string,
  options: LoadOptions,
  roleDefinitions = new Map<string, RoleDefinition>(),
  inherited: { when: unknown[]; tags: unknown[]; vars: Record<string, unknown> } = { when: [], tags: [], vars: {} },
  seen: readonly string[] = [],
): Play[] {
  const file = resolve(path);
  if (!isFile(file)) throw new TsplayError(`the playbook: ${path} could not be found`);
  if (seen.includes(file)) throw new TsplayError(`recursive import_playbook detected: ${[...seen, file].join(' -> ')}`);
  const data = loadDataFile(file);
  if (data === null || data === undefined) throw new ParserError(`Empty playbook, nothing to do: ${file}`);
  if (!Array.isArray(data)) {
    throw new ParserError(`A playbook must be a list of plays, got a ${pyTypeRepr(data)} instead: ${file}`, positionOf(data) ?? { file, line: 1, column: 1 });
  }
  if (data.length === 0) throw new ParserError(`A playbook must contain at least one play: ${file}`, positionOf(data));
  const plays: Play[] = [];
  for (const entry of data) {
    if (!isMapping(entry)) {
      throw new ParserError("playbook entries must be either valid plays or 'import_playbook' statements", positionOf(entry) ?? positionOf(data));
    }
    const importKey = isMapping(entry) ? Object.keys(entry).find((k) => IMPORT_PLAYBOOK_ACTIONS.has(k) || k === 'include') : undefined;
    if (isMapping(entry) && importKey) {
      const { [importKey]: target, when, tags, vars, name: _name, ...rest } = entry;
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw new ParserError(`'${unknown[0]}' is not a valid attribute for a PlaybookInclude`, positionOf(entry));
      if (typeof target !== 'string' || !target) throw new ParserError('import_playbook parameters cannot be mixed with \'vars\' entries for import statements', positionOf(entry));
      let name = target.trim().split(/\s+/)[0]!;
      name = templateWhileLoading(options, name, positionOf(entry));
      const childPath = resolve(dirname(file), name);
      plays.push(
        ...loadPlaybook(
          childPath,
          options,
          roleDefinitions,
          {
            when: [...inherited.when, ...(when === undefined ? [] : Array.isArray(when) ? when : [when])],
            tags: [...inherited.tags, ...(tags === undefined ? [] : Array.isArray(tags) ? tags : [tags])],
            vars: { ...inherited.vars, ...(isMapping(vars) ? vars : {}) },
          },
          [...seen, file],
        ),
      );
      continue;
    }
    const play = loadPlay(entry, file, dirname(file), options, roleDefinitions);
    if (inherited.when.length || inherited.tags.length || Object.keys(inherited.vars).length) {
      plays.push(withImportKeywords(play, inherited));
    } else {
      plays.push(play);
    }
  }
  return plays;
}

/** Apply an import_playbook's when, tags and vars to an imported play. */
function withImportKeywords(play: Play, inherited: { when: unknown[]; tags: unknown[]; vars: Record<string, unknown> }): Play {
  const keywords = play.keywords as Record<string, unknown>;
  if (inherited.vars && Object.keys(inherited.vars).length) {
    keywords.vars = { ...(keywords.vars as Record<string, unknown>), ...inherited.vars };
  }
  if (inherited.tags.length) {
    const own = keywords.tags === undefined ? [] : Array.isArray(keywords.tags) ? keywords.tags : [keywords.tags];
    keywords.tags = [...inherited.tags, ...own];
  }
  // Plays take no `when` of their own; an import's conditions apply to every task of the play.
  if (inherited.when.length) keywords.when = inherited.when;
  return play;
}
