// The inventory settings of ansible.cfg / ANSIBLE_* as InventoryOptions.
import type { Config } from '../config/config.js';
import type { InventoryOptions } from './inventory.js';
import type { TransformInvalidGroupChars } from './inventory-data.js';

export function inventoryOptionsFromConfig(config: Config, base: InventoryOptions = {}): InventoryOptions {
  return {
    ...base,
    enabledPlugins: config.value<string[]>('INVENTORY_ENABLED'),
    ignoreExtensions: config.value<string[]>('INVENTORY_IGNORE_EXTS'),
    ignorePatterns: config.value<string[]>('INVENTORY_IGNORE_PATTERNS'),
    anyUnparsedIsFailed: config.value<boolean>('INVENTORY_ANY_UNPARSED_IS_FAILED'),
    unparsedIsFailed: config.value<boolean>('INVENTORY_UNPARSED_IS_FAILED'),
    unparsedWarning: config.value<boolean>('INVENTORY_UNPARSED_WARNING'),
    hostPatternMismatch: config.value<'warning' | 'error' | 'ignore'>('HOST_PATTERN_MISMATCH'),
    hashBehaviour: config.hashBehaviour,
    transformInvalidGroupChars: config.value<TransformInvalidGroupChars>('TRANSFORM_INVALID_GROUP_CHARS'),
    variablePrecedence: config.value<string[]>('VARIABLE_PRECEDENCE'),
    localhostWarning: config.localhostWarning,
  };
}
