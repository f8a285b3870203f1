// EBS volumes created from block device mappings; DeleteOnTermination decides whether a
// volume goes with its instance or stays, detached and available.
import type { InstanceBlockDeviceMapping, Tag, Volume } from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';
import { hexId } from '../protocol/ids.js';
import type { TagStore } from './tags.js';

export interface VolumeAttachment {
  instanceId: string;
  device: string;
  deleteOnTermination: boolean;
  attachTime: Date;
}

export interface VolumeRecord {
  volumeId: string;
  size: number;
  volumeType: string;
  iops: number | undefined;
  snapshotId: string | undefined;
  encrypted: boolean;
  availabilityZone: string;
  createTime: Date;
  attachment: VolumeAttachment | undefined;
}

export interface NewVolume {
  size: number;
  volumeType: string;
  iops: number | undefined;
  snapshotId: string | undefined;
  encrypted: boolean;
  availabilityZone: string;
  attachment: VolumeAttachment;
  tags: Tag[];
}

export class Volumes {
  private readonly volumes = new Map<string, VolumeRecord>();

  constructor(private readonly tags: TagStore) {}

  create(spec: NewVolume): string {
    const volumeId = hexId('vol');
    const iops = spec.iops ?? (spec.volumeType === 'gp2' ? Math.min(16000, Math.max(100, spec.size * 3)) : spec.volumeType === 'gp3' ? 3000 : undefined);
    this.volumes.set(volumeId, {
      volumeId,
      size: spec.size,
      volumeType: spec.volumeType,
      iops,
      snapshotId: spec.snapshotId,
      encrypted: spec.encrypted,
      availabilityZone: spec.availabilityZone,
      createTime: spec.attachment.attachTime,
      attachment: spec.attachment,
    });
    this.tags.set(volumeId, spec.tags);
    return volumeId;
  }

  get(volumeId: string): VolumeRecord {
    const volume = this.volumes.get(volumeId);
    if (!volume) throw new CloudError('InvalidVolume.NotFound', `The volume '${volumeId}' does not exist.`);
    return volume;
  }

  all(): VolumeRecord[] {
    return [...this.volumes.values()];
  }

  detachOnTermination(volumeId: string): void {
    const volume = this.volumes.get(volumeId);
    if (!volume) return;
    if (volume.attachment?.deleteOnTermination) {
      this.volumes.delete(volumeId);
      this.tags.drop(volumeId);
    } else {
      volume.attachment = undefined;
    }
  }

  mappingsOf(volumeIds: string[]): InstanceBlockDeviceMapping[] {
    return volumeIds.flatMap((volumeId) => {
      const volume = this.volumes.get(volumeId);
      if (!volume?.attachment) return [];
      return [
        {
          DeviceName: volume.attachment.device,
          Ebs: {
            VolumeId: volumeId,
            Status: 'attached',
            AttachTime: volume.attachment.attachTime,
            DeleteOnTermination: volume.attachment.deleteOnTermination,
          },
        },
      ];
    });
  }

  describe(volume: VolumeRecord): Volume {
    return {
      VolumeId: volume.volumeId,
      Size: volume.size,
      VolumeType: volume.volumeType as Volume['VolumeType'],
      Iops: volume.iops,
      SnapshotId: volume.snapshotId ?? '',
      Encrypted: volume.encrypted,
      AvailabilityZone: volume.availabilityZone,
      CreateTime: volume.createTime,
      State: volume.attachment ? 'in-use' : 'available',
      MultiAttachEnabled: false,
      Attachments: volume.attachment
        ? [
            {
              VolumeId: volume.volumeId,
              InstanceId: volume.attachment.instanceId,
              Device: volume.attachment.device,
              State: 'attached',
              AttachTime: volume.attachment.attachTime,
              DeleteOnTermination: volume.attachment.deleteOnTermination,
            },
          ]
        : [],
      Tags: this.tags.listOrUndefined(volume.volumeId),
    };
  }
}
