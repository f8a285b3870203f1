// The images instances can be launched from. Every instance's root filesystem is a copy-on-
// write view of this machine's own root, so the one image is this machine's OS (Debian 12).
import type { Image } from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';

export const DEFAULT_IMAGE_ID = 'ami-0000000000000de12';

export interface ImageRecord {
  image: Image;
  rootDeviceName: string;
  rootVolumeSize: number;
}

export function builtinImages(accountId: string): ImageRecord[] {
  const rootDeviceName = '/dev/xvda';
  return [
    {
      rootDeviceName,
      rootVolumeSize: 8,
      image: {
        ImageId: DEFAULT_IMAGE_ID,
        ImageLocation: 'localcloud/debian-12-amd64-localcloud',
        Name: 'debian-12-amd64-localcloud',
        Description: "Debian 12 (bookworm): a copy-on-write view of the local cloud machine's root filesystem",
        State: 'available',
        OwnerId: accountId,
        ImageOwnerAlias: 'amazon',
        CreationDate: '2024-01-01T00:00:00.000Z',
        Public: true,
        Architecture: 'x86_64',
        ImageType: 'machine',
        RootDeviceType: 'ebs',
        RootDeviceName: rootDeviceName,
        BlockDeviceMappings: [
          {
            DeviceName: rootDeviceName,
            Ebs: { SnapshotId: 'snap-0000000000000de12', VolumeSize: 8, VolumeType: 'gp2', DeleteOnTermination: true, Encrypted: false },
          },
        ],
        VirtualizationType: 'hvm',
        Hypervisor: 'xen',
        EnaSupport: true,
        SriovNetSupport: 'simple',
        PlatformDetails: 'Linux/UNIX',
        UsageOperation: 'RunInstances',
        BootMode: 'uefi-preferred',
      },
    },
  ];
}

export class Images {
  private readonly images: Map<string, ImageRecord>;

  constructor(accountId: string) {
    this.images = new Map(builtinImages(accountId).map((record) => [record.image.ImageId ?? '', record]));
  }

  get(imageId: string): ImageRecord {
    if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(imageId)) {
      throw new CloudError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
    }
    const record = this.images.get(imageId);
    if (!record) throw new CloudError('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
    return record;
  }

  all(): ImageRecord[] {
    return [...this.images.values()];
  }
}
