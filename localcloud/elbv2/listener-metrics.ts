// Request and error counters of a listener, in total, per target group and per second
// (the last ten minutes), so that a deploy can watch the error rate over the listener.
export interface TrafficCounts {
  requests: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  /** 5xx answers the load balancer made itself (502 target failed, 503 no target, 504 timeout). */
  elbErrors: number;
  /** 5xx answers that came from a target. */
  targetErrors: number;
}

interface Bucket {
  second: number;
  requests: number;
  errors: number;
}

const BUCKETS = 600;

function emptyCounts(): TrafficCounts {
  return { requests: 0, status2xx: 0, status3xx: 0, status4xx: 0, status5xx: 0, elbErrors: 0, targetErrors: 0 };
}

function count(counts: TrafficCounts, status: number, generatedByLoadBalancer: boolean): void {
  counts.requests++;
  if (status >= 500) {
    counts.status5xx++;
    if (generatedByLoadBalancer) counts.elbErrors++;
    else counts.targetErrors++;
  } else if (status >= 400) counts.status4xx++;
  else if (status >= 300) counts.status3xx++;
  else counts.status2xx++;
}

export interface MetricsSnapshot {
  totals: TrafficCounts;
  byTargetGroup: Record<string, TrafficCounts>;
  /** Over the last `windowSeconds` seconds: requests, 5xx answers and their ratio. */
  window: { seconds: number; requests: number; errors: number; errorRate: number };
}

export class ListenerMetrics {
  private readonly totals = emptyCounts();
  private readonly byTargetGroup = new Map<string, TrafficCounts>();
  private readonly buckets: Bucket[] = [];

  record(status: number, targetGroupArn: string | undefined, generatedByLoadBalancer: boolean, now = Date.now()): void {
    count(this.totals, status, generatedByLoadBalancer);
    if (targetGroupArn) {
      let counts = this.byTargetGroup.get(targetGroupArn);
      if (!counts) this.byTargetGroup.set(targetGroupArn, (counts = emptyCounts()));
      count(counts, status, generatedByLoadBalancer);
    }
    const second = Math.floor(now / 1000);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.second !== second) {
      bucket = { second, requests: 0, errors: 0 };
      this.buckets.push(bucket);
      if (this.buckets.length > BUCKETS) this.buckets.shift();
    }
    bucket.requests++;
    if (status >= 500) bucket.errors++;
  }

  snapshot(windowSeconds = 60, now = Date.now()): MetricsSnapshot {
    const since = Math.floor(now / 1000) - windowSeconds;
    let requests = 0;
    let errors = 0;
    for (const bucket of this.buckets) {
      if (bucket.second > since) {
        requests += bucket.requests;
        errors += bucket.errors;
      }
    }
    return {
      totals: { ...this.totals },
      byTargetGroup: Object.fromEntries([...this.byTargetGroup].map(([arn, counts]) => [arn, { ...counts }])),
      window: { seconds: windowSeconds, requests, errors, errorRate: requests === 0 ? 0 : errors / requests },
    };
  }
}
