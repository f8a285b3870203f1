// The legacy ec2 module's `volumes` list -> RunInstances BlockDeviceMappings. Each entry
// names a device_name and either a new EBS volume (volume_size, volume_type or its older
// name device_type, iops, encrypted, delete_on_termination), a snapshot, or an ephemeral
// (instance store) volume. volume_size: 0 leaves the device out.
import type { BlockDeviceMapping } from '@aws-sdk/client-ec2';
import { ModuleFailure } from '../../module.js';

const TRUE_WORDS = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE_WORDS = new Set(['no', 'off', '0', 'false', 'n', 'f']);

function toBool(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (TRUE_WORDS.has(text) || value === 1) return true;
  if (FALSE_WORDS.has(text) || value === 0) return false;
  throw new ModuleFailure(`${what} must be a boolean (got ${JSON.stringify(value)})`);
}

function toInt(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw new ModuleFailure(`${what} must be an integer (got ${JSON.stringify(value)})`);
  return n;
}

const has = (volume: Record<string, unknown>, key: string) => volume[key] !== undefined && volume[key] !== null;

export function legacyBlockDeviceMappings(volumes: readonly unknown[]): BlockDeviceMapping[] {
  const mappings: BlockDeviceMapping[] = [];
  for (const entry of volumes) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ModuleFailure(`Each entry of volumes must be a dict (got ${JSON.stringify(entry)})`);
    }
    const volume = entry as Record<string, unknown>;
    if (!has(volume, 'device_name')) throw new ModuleFailure('Device name must be set for volume');
    const deviceName = String(volume.device_name);
    const size = has(volume, 'volume_size') ? toInt(volume.volume_size, `volume_size of ${deviceName}`) : undefined;
    if (size !== undefined && size <= 0) continue;
    const volumeType = has(volume, 'volume_type') ? String(volume.volume_type) : has(volume, 'device_type') ? String(volume.device_type) : undefined;
    const snapshot = has(volume, 'snapshot') ? String(volume.snapshot) : undefined;
    const ephemeral = has(volume, 'ephemeral') ? String(volume.ephemeral) : undefined;
    const iops = has(volume, 'iops') ? toInt(volume.iops, `iops of ${deviceName}`) : undefined;
    if (snapshot === undefined && ephemeral === undefined && size === undefined) {
      throw new ModuleFailure('Size must be specified when creating a new volume or modifying the root volume');
    }
    if (snapshot !== undefined && volumeType === 'io1' && iops === undefined) throw new ModuleFailure('io1 volumes must have an iops value set');
    if (ephemeral !== undefined) {
      if (snapshot !== undefined) throw new ModuleFailure('Cannot set both ephemeral and snapshot');
      mappings.push({ DeviceName: deviceName, VirtualName: ephemeral });
      continue;
    }
    mappings.push({
      DeviceName: deviceName,
      Ebs: {
        ...(snapshot !== undefined ? { SnapshotId: snapshot } : {}),
        ...(size !== undefined ? { VolumeSize: size } : {}),
        ...(volumeType !== undefined ? { VolumeType: volumeType as never } : {}),
        ...(iops !== undefined ? { Iops: iops } : {}),
        DeleteOnTermination: has(volume, 'delete_on_termination') ? toBool(volume.delete_on_termination, `delete_on_termination of ${deviceName}`) : false,
        ...(has(volume, 'encrypted') ? { Encrypted: toBool(volume.encrypted, `encrypted of ${deviceName}`) } : {}),
      },
    });
  }
  return mappings;
}
