// The EC2 side of the local cloud: its resources, wired together.
import type { HostFactory } from '../instances/instance-host.js';
import type { Delays } from '../options.js';
import { Images } from './images.js';
import { Fleet } from './instances.js';
import { KeyPairs } from './key-pairs.js';
import { Network } from './network.js';
import { TagStore } from './tags.js';
import { Volumes } from './volumes.js';

export interface Ec2Settings {
  region: string;
  accountId: string;
  networkPrefix: string;
  stateDir: string;
  delays: Delays;
  hostFactory: HostFactory;
  log: (message: string) => void;
}

export class Ec2 {
  readonly tags = new TagStore();
  readonly network: Network;
  readonly images: Images;
  readonly keyPairs: KeyPairs;
  readonly volumes: Volumes;
  readonly fleet: Fleet;

  constructor(readonly settings: Ec2Settings) {
    this.network = new Network(settings.region, settings.accountId, settings.networkPrefix, this.tags);
    this.images = new Images(settings.accountId);
    this.keyPairs = new KeyPairs(this.tags);
    this.volumes = new Volumes(this.tags);
    this.fleet = new Fleet({
      ...settings,
      network: this.network,
      images: this.images,
      keyPairs: this.keyPairs,
      volumes: this.volumes,
      tags: this.tags,
    });
  }
}
