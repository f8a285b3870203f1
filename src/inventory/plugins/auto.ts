// YAML files that configure an inventory plugin (`plugin: <name>` at the top) are
// handed to that plugin.
import { TsplayError } from '../../errors.js';
import { isMapping } from '../combine-vars.js';
import { loadDataFile } from '../data-file.js';
import { isReadablePath, type InventoryPlugin } from './plugin.js';
import { findInventoryPlugin } from './registry.js';

export const autoPlugin: InventoryPlugin = {
  name: 'auto',
  aliases: ['ansible.builtin.auto'],
  verifyFile: (source) => (source.endsWith('.yml') || source.endsWith('.yaml')) && isReadablePath(source),
  parse(ctx, source) {
    const config = loadDataFile(source);
    const pluginName = isMapping(config) ? config.plugin : undefined;
    if (!pluginName) {
      throw new TsplayError(`no root 'plugin' key found, '${source}' is not a valid YAML inventory plugin config file`);
    }
    const plugin = typeof pluginName === 'string' ? findInventoryPlugin(pluginName) : undefined;
    if (!plugin) throw new TsplayError(`inventory config '${source}' specifies unknown plugin '${String(pluginName)}'`);
    if (!plugin.verifyFile(source)) {
      throw new TsplayError(`inventory source '${source}' could not be verified by inventory plugin '${String(pluginName)}'`);
    }
    plugin.parse(ctx, source);
  },
};
