// EC2 key pairs: created ones (EC2 returns the private key once) and imported public keys.
// Instances authorize the public key of the key pair they were launched with.
import type { KeyPairInfo } from '@aws-sdk/client-ec2';
import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';
import { generateKeyPair } from '../host/keys.js';
import { CloudError } from '../protocol/cloud-error.js';
import { hexId } from '../protocol/ids.js';
import type { TagStore } from './tags.js';

export interface KeyPairRecord {
  keyName: string;
  keyPairId: string;
  keyType: 'rsa' | 'ed25519';
  fingerprint: string;
  /** OpenSSH authorized_keys line */
  publicKey: string;
  createTime: Date;
}

export interface CreatedKeyPair {
  record: KeyPairRecord;
  /** PEM (rsa) or OpenSSH (ed25519) private key, as EC2 returns it. */
  privateKey: string;
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)?.join(':') ?? '';
}

function sshPublicKey(privateKeyText: string, comment: string): string {
  const parsed = ssh2.utils.parseKey(privateKeyText);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('no key');
  return `${key.type} ${key.getPublicSSH().toString('base64')} ${comment}`;
}

export class KeyPairs {
  private readonly pairs = new Map<string, KeyPairRecord>();

  constructor(private readonly tags: TagStore) {}

  create(keyName: string, keyType: 'rsa' | 'ed25519' = 'rsa'): CreatedKeyPair {
    this.assertNew(keyName);
    let privateKey: string;
    let fingerprint: string;
    if (keyType === 'ed25519') {
      // The hosts' key encoder: ssh2's generator drops a leading zero byte of the public key
      // about once in 256 keys, which sshd refuses.
      const generated = generateKeyPair('ed25519', '');
      privateKey = generated.privateKey;
      fingerprint = createHash('sha256').update(Buffer.from(generated.publicKey.split(' ')[1] ?? '', 'base64')).digest('base64');
    } else {
      privateKey = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      }).privateKey;
      // EC2's fingerprint of a key it created: SHA-1 of the PKCS#8 DER private key.
      const der = createPrivateKey(privateKey).export({ type: 'pkcs8', format: 'der' });
      fingerprint = colonHex(createHash('sha1').update(der).digest());
    }
    const record: KeyPairRecord = {
      keyName,
      keyPairId: hexId('key'),
      keyType,
      fingerprint,
      publicKey: sshPublicKey(privateKey, keyName),
      createTime: new Date(),
    };
    this.pairs.set(keyName, record);
    return { record, privateKey: privateKey.endsWith('\n') ? privateKey : `${privateKey}\n` };
  }

  /** Registers an existing private key (the one kept in the state directory across restarts). */
  adopt(keyName: string, privateKey: string): KeyPairRecord {
    const publicKey = sshPublicKey(privateKey, keyName);
    const keyType = publicKey.startsWith('ssh-ed25519') ? 'ed25519' : 'rsa';
    const fingerprint =
      keyType === 'ed25519'
        ? createHash('sha256').update(Buffer.from(publicKey.split(' ')[1] ?? '', 'base64')).digest('base64')
        : colonHex(createHash('sha1').update(createPrivateKey(privateKey).export({ type: 'pkcs8', format: 'der' })).digest());
    const record: KeyPairRecord = {
      keyName,
      keyPairId: hexId('key'),
      keyType,
      fingerprint,
      publicKey,
      createTime: new Date(),
    };
    this.pairs.set(keyName, record);
    return record;
  }

  import(keyName: string, material: string): KeyPairRecord {
    this.assertNew(keyName);
    const parsed = ssh2.utils.parseKey(material.trim());
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error || key.isPrivateKey()) {
      throw new CloudError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
    }
    const blob = key.getPublicSSH();
    const keyType = key.type === 'ssh-ed25519' ? 'ed25519' : 'rsa';
    const fingerprint =
      keyType === 'ed25519'
        ? createHash('sha256').update(blob).digest('base64')
        : colonHex(createHash('md5').update(blob).digest());
    const record: KeyPairRecord = {
      keyName,
      keyPairId: hexId('key'),
      keyType,
      fingerprint,
      publicKey: `${key.type} ${blob.toString('base64')} ${keyName}`,
      createTime: new Date(),
    };
    this.pairs.set(keyName, record);
    return record;
  }

  get(keyName: string): KeyPairRecord {
    const record = this.pairs.get(keyName);
    if (!record) throw new CloudError('InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);
    return record;
  }

  byId(keyPairId: string): KeyPairRecord {
    const record = [...this.pairs.values()].find((p) => p.keyPairId === keyPairId);
    if (!record) throw new CloudError('InvalidKeyPair.NotFound', `The key pair ID '${keyPairId}' does not exist`);
    return record;
  }

  delete(keyName: string): void {
    const record = this.pairs.get(keyName);
    if (!record) return;
    this.pairs.delete(keyName);
    this.tags.drop(record.keyPairId);
  }

  all(): KeyPairRecord[] {
    return [...this.pairs.values()];
  }

  describe(record: KeyPairRecord, includePublicKey = false): KeyPairInfo {
    return {
      KeyName: record.keyName,
      KeyPairId: record.keyPairId,
      KeyType: record.keyType,
      KeyFingerprint: record.fingerprint,
      CreateTime: record.createTime,
      PublicKey: includePublicKey ? record.publicKey : undefined,
      Tags: this.tags.list(record.keyPairId),
    };
  }

  private assertNew(keyName: string): void {
    if (!keyName) throw new CloudError('MissingParameter', 'The request must contain the parameter KeyName');
    if (this.pairs.has(keyName)) throw new CloudError('InvalidKeyPair.Duplicate', `The keypair already exists`);
  }
}
