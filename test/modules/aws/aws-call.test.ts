import { DescribeInstancesCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsCallError, awsFailure, isAwsErrorCode, isAwsErrorMessage, send } from '../../../src/modules/aws/aws-call.js';
import { ModuleFailure } from '../../../src/modules/module.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe('send and awsFailure', () => {
  it('names the operation and the AWS error code as botocore does', async () => {
    ec2.on(DescribeInstancesCommand).rejects(
      new EC2ServiceException({ name: 'UnauthorizedOperation', $fault: 'client', $metadata: { httpStatusCode: 403, requestId: 'abc', attempts: 3 }, message: 'You are not authorized to perform this operation.' }),
    );
    const error = await send(new EC2Client({ region: 'us-east-1' }), new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toBe('An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.');
    expect(isAwsErrorCode(error, 'UnauthorizedOperation')).toBe(true);
    expect(isAwsErrorMessage(error, 'not authorized')).toBe(true);
    const failure = awsFailure(error, 'Failed to describe instances') as ModuleFailure;
    expect(failure).toBeInstanceOf(ModuleFailure);
    expect(failure.message).toBe('Failed to describe instances: An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.');
    expect(failure.extra).toEqual({
      error: { code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' },
      response_metadata: { http_status_code: 403, request_id: 'abc', retry_attempts: 2 },
    });
  });

  it('words missing credentials and unreachable endpoints without a stack trace', async () => {
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const noCredentials = await send(new EC2Client({ region: 'us-east-1' }), new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(awsFailure(noCredentials, 'Failed to describe instances').message).toBe('Failed to describe instances: Unable to locate credentials');
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 }));
    const refused = await send(new EC2Client({ region: 'us-east-1' }), new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(awsFailure(refused).message).toBe('Could not connect to the endpoint URL: "127.0.0.1:4566"');
    // The SDK puts $metadata on connection errors too: they are still not AWS answers.
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4598'), { code: 'ECONNREFUSED', $metadata: { attempts: 5 } }));
    const client = new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4598' });
    const configured = await send(client, new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(awsFailure(configured, 'Failed to describe instances').message).toBe('Failed to describe instances: Could not connect to the endpoint URL: "http://127.0.0.1:4598/"');
    expect((awsFailure(refused) as ModuleFailure).extra).toEqual({});
  });

  it('passes module failures, and errors that do not come from AWS, through', () => {
    const failure = new ModuleFailure('already worded');
    expect(awsFailure(failure, 'ignored')).toBe(failure);
    const bug = new TypeError("Cannot read properties of undefined (reading 'InstanceId')");
    expect(awsFailure(bug, 'Instance creation failed')).toBe(bug);
  });
});
