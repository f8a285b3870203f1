import { describe, expect, it } from 'vitest';
import { redactArguments, redactExtraVars, REDACTED } from '../../src/history/redact.js';
import { MASK, SecretMasker } from '../../src/history/secret-masker.js';

describe('redactExtraVars', () => {
  it('replaces values of secret-named keys in key=value text', () => {
    expect(redactExtraVars('version=1.2 db_password=hunter2 api_token="a b"')).toBe(`version=1.2 db_password=${REDACTED} api_token=${REDACTED}`);
    expect(redactExtraVars('release=blue color="two words"')).toBe('release=blue color="two words"');
  });

  it('keeps the shape of JSON and YAML values and redacts nested secrets', () => {
    expect(JSON.parse(redactExtraVars('{"env": "prd", "aws": {"secret_key": "AKIA...", "region": "eu-west-1"}, "list": [{"passwd": 1}]}'))).toEqual({
      env: 'prd',
      aws: { secret_key: REDACTED, region: 'eu-west-1' },
      list: [{ passwd: REDACTED }],
    });
    expect(JSON.parse(redactExtraVars('a: 1\nPrivate_Key: |\n  xyz\n'))).toEqual({ a: 1, Private_Key: REDACTED });
  });

  it('keeps @file references, redacts vault text and what it cannot parse', () => {
    expect(redactExtraVars('@vars/prod.yml')).toBe('@vars/prod.yml');
    expect(redactExtraVars('x=$ANSIBLE_VAULT;1.1;AES256 abc')).toBe(REDACTED);
    expect(redactExtraVars('{"unterminated": ')).toBe(REDACTED);
    expect(redactExtraVars('token="never closed')).toBe(REDACTED);
  });
});

describe('redactArguments', () => {
  it('finds -e values in every spelling', () => {
    const argv = ['-i', 'inv', 'site.yml', '-e', 'password=a', '-epassword=b', '-vve', 'token=c', '--extra-vars=secret=d', '--extra', 'pass=e', '--ext=key=f', '-Ce', 'keep=1'];
    expect(redactArguments(argv)).toEqual([
      '-i', 'inv', 'site.yml',
      '-e', `password=${REDACTED}`,
      `-epassword=${REDACTED}`,
      '-vve', `token=${REDACTED}`,
      `--extra-vars=secret=${REDACTED}`,
      '--extra', `pass=${REDACTED}`,
      `--ext=key=${REDACTED}`,
      '-Ce', 'keep=1',
    ]);
  });

  it('leaves other options and their values alone (a limit named like a key is not a secret)', () => {
    const argv = ['-l', 'password=x', '-ipassword=y', '--vault-password-file', 'pw.txt', '--become-password-file=bp.txt', '-K', '--', '-e', 'a=1'];
    expect(redactArguments(argv)).toEqual(argv);
  });
});

describe('SecretMasker', () => {
  it('masks known values in text and in JSON, longest first', () => {
    const masker = new SecretMasker(['s3cr3t', 's3cr3t-and-more', undefined, null, 'ab', 'quo"te']);
    expect(masker.mask('x s3cr3t-and-more y s3cr3t')).toBe(`x ${MASK} y ${MASK}`);
    expect(masker.maskJson(JSON.stringify({ msg: 'say quo"te and s3cr3t', short: 'ab' }))).toBe(`{"msg":"say ${MASK} and ${MASK}","short":"ab"}`);
    expect(new SecretMasker([undefined]).empty).toBe(true);
  });
});
