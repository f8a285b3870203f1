// What the load balancer remembers about a pair, as tags on its two target groups. The
// weights of the listener say which color serves; these tags say how it got there, so that
// a later run (another machine, another operator) decides from AWS alone, never from a
// local file.
export const TAG = {
  /** Identity: which service and color a target group (or an instance) belongs to. */
  service: 'tsplay:bluegreen:service',
  color: 'tsplay:bluegreen:color',
  /** When a deploy last registered instances in this color. */
  deployedAt: 'tsplay:bluegreen:deployed-at',
  /** When this color last became live (switch or rollback). */
  liveSince: 'tsplay:bluegreen:live-since',
  /** When this color finished its bake window without a rollback. */
  bakedAt: 'tsplay:bluegreen:baked-at',
  /** On the color that was live before a forward switch: what a rollback goes back to. */
  rollbackTarget: 'tsplay:bluegreen:rollback-target',
  /** On a color while weights move towards it (a switch in steps). */
  switching: 'tsplay:bluegreen:switching',
  /** On a color traffic was taken away from by a rollback, with when and why. */
  rolledBackAt: 'tsplay:bluegreen:rolled-back-at',
  rollbackReason: 'tsplay:bluegreen:rollback-reason',
} as const;

/** Tag values are at most 256 characters on ELBv2. */
export function tagValue(text: string): string {
  return text.length <= 256 ? text : `${text.slice(0, 253)}...`;
}

export function nowTag(now = new Date()): string {
  return now.toISOString();
}
