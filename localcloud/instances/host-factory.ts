// Which host implementation instances run on.
import type { HostFactory } from './instance-host.js';
import { standinHostFactory } from './standin-host.js';

export function defaultHostFactory(): HostFactory {
  return standinHostFactory;
}
