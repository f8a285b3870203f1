// Fuzz: mutated inventories and -e values through the command line. See fuzz-suite.ts.
import { describe } from 'vitest';
import { fuzzTests } from './fuzz-suite.js';

describe('fuzz: malformed inventories and extra vars through the command line', () => {
  fuzzTests(['inventory', 'extra-vars'], 16);
});
