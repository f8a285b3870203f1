// How the legacy ec2 module described an instance (boto 2's view): the flat dict that
// playbooks read as ec2.instances[].private_ip, .id, .public_dns_name, .tags...
import type { Instance } from '@aws-sdk/client-ec2';
import { tagListToDict } from '../tags.js';

export function legacyInstanceInfo(instance: Instance): Record<string, unknown> {
  const placement = instance.Placement?.AvailabilityZone ?? null;
  const blockDevices: Record<string, unknown> = {};
  for (const mapping of instance.BlockDeviceMappings ?? []) {
    if (!mapping.DeviceName || !mapping.Ebs) continue;
    blockDevices[mapping.DeviceName] = {
      status: mapping.Ebs.Status ?? null,
      volume_id: mapping.Ebs.VolumeId ?? null,
      delete_on_termination: mapping.Ebs.DeleteOnTermination ?? false,
    };
  }
  const groups: Record<string, string> = {};
  for (const group of instance.SecurityGroups ?? []) if (group.GroupId) groups[group.GroupId] = group.GroupName ?? '';
  return {
    id: instance.InstanceId,
    ami_launch_index: instance.AmiLaunchIndex ?? 0,
    private_ip: instance.PrivateIpAddress ?? null,
    private_dns_name: instance.PrivateDnsName ?? '',
    public_ip: instance.PublicIpAddress ?? null,
    dns_name: instance.PublicDnsName ?? '',
    public_dns_name: instance.PublicDnsName ?? '',
    state_code: instance.State?.Code ?? null,
    architecture: instance.Architecture ?? null,
    image_id: instance.ImageId ?? null,
    key_name: instance.KeyName ?? null,
    placement,
    region: placement ? placement.slice(0, -1) : null,
    kernel: instance.KernelId ?? null,
    ramdisk: instance.RamdiskId ?? null,
    launch_time: instance.LaunchTime ? instance.LaunchTime.toISOString() : null,
    instance_type: instance.InstanceType ?? null,
    root_device_type: instance.RootDeviceType ?? null,
    root_device_name: instance.RootDeviceName ?? null,
    state: instance.State?.Name ?? null,
    hypervisor: instance.Hypervisor ?? null,
    tags: tagListToDict(instance.Tags),
    groups,
    virtualization_type: instance.VirtualizationType ?? null,
    ebs_optimized: instance.EbsOptimized ?? false,
    block_device_mapping: blockDevices,
    tenancy: instance.Placement?.Tenancy ?? 'default',
  };
}
