// The wire format as raw HTTP: what any client (not only the SDK) sends and gets back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCloud, recordingHosts, startTestCloud } from './helpers.js';

let test: TestCloud;

beforeAll(async () => {
  test = await startTestCloud({ network: '127.83' }, { hostFactory: recordingHosts().factory });
});
afterAll(async () => {
  await test?.close();
});

function form(body: string, headers: Record<string, string> = {}) {
  return fetch(test.cloud.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body,
  });
}

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
});

describe('the Query protocols', () => {
  it('answers EC2 actions with <ActionResponse> in the EC2 namespace, routed by the Version when unsigned', async () => {
    const response = await form('Action=DescribeRegions&Version=2016-11-15');
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeRegionsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><regionInfo><item>(<\w+>[^<]*<\/\w+>)*<regionName>us-east-1<\/regionName>/);
  });

  it('answers EC2 errors in <Response><Errors>', async () => {
    const response = await form('Action=LaunchRocket&Version=2016-11-15', signed('ec2'));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action LaunchRocket is not valid for this web service.<\/Message><\/Error><\/Errors><RequestID>/,
    );
  });

  it('wraps ELBv2 results in <ActionResult> and errors in <ErrorResponse>', async () => {
    const ok = await form('Action=DescribeLoadBalancers&Version=2015-12-01', signed('elasticloadbalancing'));
    expect(await ok.text()).toMatch(
      /<DescribeLoadBalancersResponse xmlns="http:\/\/elasticloadbalancing.amazonaws.com\/doc\/2015-12-01\/"><DescribeLoadBalancersResult><LoadBalancers\/><\/DescribeLoadBalancersResult><ResponseMetadata><RequestId>/,
    );
    const missing = await form('Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Atargetgroup%2Fx%2F1', signed('elasticloadbalancing'));
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>TargetGroupNotFound<\/Code>/);
  });

  it('reads awsQuery lists as Name.member.N', async () => {
    const response = await form('Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=nope', signed('elasticloadbalancing'));
    expect(await response.text()).toContain('<Code>TargetGroupNotFound</Code>');
  });
});

describe('REST-XML (Route 53)', () => {
  it('lists hosted zones at its path, in its namespace', async () => {
    const response = await fetch(`${test.cloud.endpoint}/2013-04-01/hostedzone`);
    expect(await response.text()).toMatch(
      /<ListHostedZonesResponse xmlns="https:\/\/route53.amazonaws.com\/doc\/2013-04-01\/"><HostedZones\/><IsTruncated>false<\/IsTruncated><MaxItems>100<\/MaxItems><\/ListHostedZonesResponse>/,
    );
  });

  it('creates a zone from an XML body (201 with a Location header) and refuses malformed XML', async () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>raw.example.</Name><CallerReference>raw-1</CallerReference><HostedZoneConfig><Comment>made &amp; checked</Comment></HostedZoneConfig></CreateHostedZoneRequest>';
    const created = await fetch(`${test.cloud.endpoint}/2013-04-01/hostedzone`, { method: 'POST', body, headers: signed('route53') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^https:\/\/route53.amazonaws.com\/2013-04-01\/hostedzone\/Z/);
    expect(await created.text()).toContain('<Comment>made &amp; checked</Comment>');
    const broken = await fetch(`${test.cloud.endpoint}/2013-04-01/hostedzone`, { method: 'POST', body: '<CreateHostedZoneRequest><Name>x', headers: signed('route53') });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('<Code>MalformedXML</Code>');
  });

  it('answers NoSuchHostedZone with 404', async () => {
    const response = await fetch(`${test.cloud.endpoint}/2013-04-01/hostedzone/ZNOPE/rrset`, { headers: signed('route53') });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<Code>NoSuchHostedZone</Code>');
  });
});

it('refuses services it does not serve', async () => {
  const response = await form('Action=ListBuckets', signed('s3'));
  expect(response.status).toBe(400);
  expect(await response.text()).toContain('<Code>UnknownService</Code>');
});
