import { describe, expect, it } from 'vitest';
import { legacyBlockDeviceMappings } from '../../../../src/modules/aws/ec2/legacy-volumes.js';

describe('legacy ec2 volumes', () => {
  it('maps EBS, snapshot and ephemeral volumes, and leaves out size 0', () => {
    expect(
      legacyBlockDeviceMappings([
        { device_name: '/dev/xvda', device_type: 'gp2', volume_size: '8', delete_on_termination: 'yes' },
        { device_name: '/dev/sdb', snapshot: 'snap-1', volume_type: 'io1', iops: 1000, encrypted: true },
        { device_name: '/dev/sdc', ephemeral: 'ephemeral0' },
        { device_name: '/dev/sdd', volume_size: 0 },
      ]),
    ).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp2', DeleteOnTermination: true } },
      { DeviceName: '/dev/sdb', Ebs: { SnapshotId: 'snap-1', VolumeType: 'io1', Iops: 1000, DeleteOnTermination: false, Encrypted: true } },
      { DeviceName: '/dev/sdc', VirtualName: 'ephemeral0' },
    ]);
  });

  it('says what is wrong as the legacy module did', () => {
    expect(() => legacyBlockDeviceMappings([{ volume_size: 8 }])).toThrow('Device name must be set for volume');
    expect(() => legacyBlockDeviceMappings([{ device_name: '/dev/sdb' }])).toThrow('Size must be specified when creating a new volume or modifying the root volume');
    expect(() => legacyBlockDeviceMappings([{ device_name: '/dev/sdb', snapshot: 's', volume_type: 'io1' }])).toThrow('io1 volumes must have an iops value set');
    expect(() => legacyBlockDeviceMappings([{ device_name: '/dev/sdb', snapshot: 's', ephemeral: 'e' }])).toThrow('Cannot set both ephemeral and snapshot');
    expect(() => legacyBlockDeviceMappings([{ device_name: '/dev/sdb', volume_size: 'big' }])).toThrow('volume_size of /dev/sdb must be an integer (got "big")');
  });
});
