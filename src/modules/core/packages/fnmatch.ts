// Package name patterns (`nginx*`, `1.2.*`) use Python's fnmatch (src/parsing/fnmatch.ts).
export { fnmatch } from '../../../parsing/fnmatch.js';

export const hasGlob = (text: string) => /[*?[\]!]/.test(text);
