// Opaque NextToken pagination over a list the service computed in full.
import { CloudError } from './cloud-error.js';

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  let start = 0;
  if (nextToken) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw new CloudError('InvalidNextToken', `The token '${nextToken}' is invalid.`);
    start = Number(decoded[1]);
  }
  if (maxResults === undefined) return { items: items.slice(start), nextToken: undefined };
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined,
  };
}
