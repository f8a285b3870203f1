// json_query (community.general): JMESPath over the data, with the jmespath package.
import jmespath from 'jmespath';
import { defineFilter } from '../plugins.js';
import { filterError } from '../runtime/errors.js';
import { toStr } from './util.js';
import { toPlain } from '../ansible/concat.js';

defineFilter(['json_query', 'community.general.json_query'], 'data, expr', ({ data, expr }) => {
  try {
    const result = jmespath.search(toPlain(data), toStr(expr)) as unknown;
    return result === undefined ? null : result;
  } catch (e) {
    throw filterError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`);
  }
});
