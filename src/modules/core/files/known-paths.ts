// What one module run has learnt about paths on the target: stats (own and followed,
// with or without checksum), access flags and realpaths. File modules ask the same
// questions about the same paths several times per task (Ansible's modules stat a path
// up to five times); answers stay valid until the run changes something on the host,
// which forgets them all (see Target). A path that is not a link answers for its
// followed stat too; a missing path is missing whichever way it is looked at.
import type { FileStat } from '../../../connection/connection.js';
import type { PathDescription, StatAnswer } from './describe-paths.js';

interface Side {
  stat: StatAnswer;
  /** The checksum of a regular file is known (it is then on stat). */
  checksummed: boolean;
}

interface Entry {
  own?: Side | undefined;
  followed?: Side | undefined;
  access?: string | undefined;
  /** test -e, when asked for alone. */
  exists?: boolean | undefined;
  realPath?: string | undefined;
}

export class KnownPaths {
  private entries = new Map<string, Entry>();
  /** Changes whenever everything is forgotten: answers to questions asked before are dropped. */
  private generation = 0;

  get version(): number {
    return this.generation;
  }

  forget(): void {
    if (this.entries.size > 0) this.entries = new Map();
    this.generation++;
  }

  /** The known answer to stat(path, {follow, checksum}), or undefined when not known. */
  stat(path: string, follow: boolean, checksum: boolean): { stat: FileStat | undefined } | undefined {
    const entry = this.entries.get(path);
    const side = follow ? (entry?.followed ?? this.followedFromOwn(entry?.own)) : entry?.own;
    if (!side) return undefined;
    if (side.stat === null) return { stat: undefined };
    if (checksum && side.stat.type === 'file' && !side.checksummed) return undefined;
    const copy = { ...side.stat };
    if (!checksum) delete copy.checksum;
    return { stat: copy };
  }

  /** A file's checksum as Connection.checksum answers it: undefined when missing; not known otherwise. */
  checksum(path: string): { checksum: string | undefined } | undefined {
    const known = this.stat(path, true, true);
    if (!known) return undefined;
    if (known.stat === undefined) return { checksum: undefined };
    return known.stat.type === 'file' && known.stat.checksum !== undefined ? { checksum: known.stat.checksum } : undefined;
  }

  /** Whether the path leads somewhere (links followed), as test -e and os.path.exists say. */
  exists(path: string): boolean | undefined {
    const entry = this.entries.get(path);
    const followed = entry?.followed ?? this.followedFromOwn(entry?.own);
    if (followed) return followed.stat !== null;
    return entry?.exists;
  }

  access(path: string): string | undefined {
    const entry = this.entries.get(path);
    return entry?.access ?? (entry?.own?.stat === null ? '' : undefined);
  }

  realPath(path: string): string | undefined {
    return this.entries.get(path)?.realPath;
  }

  recordStat(path: string, follow: boolean, stat: FileStat | undefined, checksummed: boolean): void {
    const entry = this.entry(path);
    const side: Side = { stat: stat ? { ...stat } : null, checksummed: checksummed || stat === undefined || stat.type !== 'file' };
    if (follow) entry.followed = side;
    else entry.own = side;
  }

  recordRealPath(path: string, real: string): void {
    this.entry(path).realPath = real;
  }

  record(description: PathDescription): void {
    const entry = this.entry(description.path);
    const side = (stat: StatAnswer | undefined): Side | undefined =>
      stat === undefined ? undefined : { stat: stat && { ...stat }, checksummed: description.checksummed };
    entry.own = side(description.own) ?? entry.own;
    entry.followed = side(description.followed) ?? entry.followed;
    if (description.access !== undefined) entry.access = description.access;
    if (description.exists !== undefined) entry.exists = description.exists;
    if (description.realPath !== undefined) {
      entry.realPath = description.realPath;
      if (description.realFollowed !== undefined) {
        // What the realpath points to, as a stat that follows links would see it.
        const real = this.entry(description.realPath);
        real.followed = { stat: description.realFollowed && { ...description.realFollowed }, checksummed: description.realFollowed === null || description.realFollowed.type !== 'file' };
      }
    }
  }

  private followedFromOwn(own: Side | undefined): Side | undefined {
    if (!own) return undefined;
    if (own.stat === null || own.stat.type !== 'link') return own;
    return undefined;
  }

  private entry(path: string): Entry {
    let entry = this.entries.get(path);
    if (!entry) this.entries.set(path, (entry = {}));
    return entry;
  }
}
