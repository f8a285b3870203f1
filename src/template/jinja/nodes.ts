// AST nodes Jinja2 has and nunjucks lacks. They extend nunjucks' Node so its tree
// utilities (findAll, fields) and compiler dispatch (`compile<typename>`) work on them.
import { nodes } from './nunjucks.js';

const Node = nodes.Node;

export const J = {
  /** `obj.name` */
  Getattr: Node.extend('Getattr', { fields: ['target', 'attr'] }),
  /** `obj[key]` */
  Getitem: Node.extend('Getitem', { fields: ['target', 'key'] }),
  /** `obj[start:stop:step]` */
  Slice: Node.extend('Slice', { fields: ['target', 'start', 'stop', 'step'] }),
  /** `(a, b)` */
  Tuple: nodes.NodeList.extend('Tuple'),
  /** `fn(args, name=value, *dyn, **dynkw)`; `args` is an array, `kwargs` an array of Pair. */
  Call: Node.extend('Call', { fields: ['node', 'args', 'kwargs', 'dynArgs', 'dynKwargs'] }),
  /** `value | name(args)`; `node` is null inside `{% filter %}` and `{% set x | f %}`. */
  FilterCall: Node.extend('FilterCall', { fields: ['node', 'name', 'args', 'kwargs', 'dynArgs', 'dynKwargs'] }),
  /** `value is name(args)` */
  TestCall: Node.extend('TestCall', { fields: ['node', 'name', 'args', 'kwargs', 'dynArgs', 'dynKwargs'] }),
  /** A constant whose Python type is float (`1.0`). */
  FloatLiteral: Node.extend('FloatLiteral', { fields: ['value'] }),
  /** `{% for target in iter if test %}` */
  For: Node.extend('JFor', { fields: ['target', 'iter', 'body', 'else_', 'test', 'recursive'] }),
  /** `{% set target = value %}` */
  Assign: Node.extend('Assign', { fields: ['target', 'value'] }),
  /** `{% set target | filter %}body{% endset %}` */
  AssignBlock: Node.extend('AssignBlock', { fields: ['target', 'filter', 'body'] }),
  /** `{% with a = 1 %}body{% endwith %}` */
  With: Node.extend('With', { fields: ['targets', 'values', 'body'] }),
  /** `{% filter f %}body{% endfilter %}` */
  FilterBlock: Node.extend('FilterBlock', { fields: ['body', 'filter'] }),
  /** `ns.attr` as an assignment target. */
  NSRef: Node.extend('NSRef', { fields: ['name', 'attr'] }),
  /** `{% include name ignore missing with context %}` */
  JInclude: Node.extend('JInclude', { fields: ['template', 'ignoreMissing', 'withContext'] }),
};
