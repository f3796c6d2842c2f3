import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The ledger's signing key (Ed25519), kept in a file of its own outside the databases: it signs
 * the checkpoints of the log, so someone who can rewrite the event store's file but not read this
 * one cannot make a rewritten history look signed. Every public key ever used stays in a file of
 * trusted keys beside it, so checkpoints signed before a rotation still verify; an auditor keeps a
 * copy of that file (`bcf-ledger audit checkpoints` exports it with the checkpoints).
 */
export interface SigningKeyFiles {
  /** The private key, PEM; created with mode 0600 on first use. */
  readonly privateKeyFile: string;
  /** Every public key the ledger has signed with: { keyId: PEM }. */
  readonly publicKeysFile: string;
}

export class SigningKeys {
  readonly #privateKey: KeyObject;
  readonly keyId: string;
  readonly #trusted: ReadonlyMap<string, KeyObject>;

  private constructor(privateKey: KeyObject, trusted: ReadonlyMap<string, KeyObject>) {
    this.#privateKey = privateKey;
    this.keyId = keyIdOf(createPublicKey(privateKey));
    this.#trusted = trusted;
  }

  /** Opens the keys, creating the first key pair if there is none yet. */
  static open(files: SigningKeyFiles): SigningKeys {
    if (!existsSync(files.privateKeyFile)) return SigningKeys.rotate(files);
    const privateKey = createPrivateKey(readFileSync(files.privateKeyFile, 'utf8'));
    return new SigningKeys(privateKey, trustedKeys(files.publicKeysFile));
  }

  /** A new key pair: later checkpoints are signed with it; the old public key stays trusted. */
  static rotate(files: SigningKeyFiles): SigningKeys {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeys = existsSync(files.publicKeysFile)
      ? (JSON.parse(readFileSync(files.publicKeysFile, 'utf8')) as Record<string, string>)
      : {};
    publicKeys[keyIdOf(publicKey)] = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeAtomically(files.publicKeysFile, `${JSON.stringify(publicKeys, null, 2)}\n`, 0o644);
    writeAtomically(
      files.privateKeyFile,
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      0o600,
    );
    return new SigningKeys(privateKey, trustedKeys(files.publicKeysFile));
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text), this.#privateKey).toString('base64');
  }

  /** Whether the signature is one of a trusted key over the text. */
  verify(text: string, keyId: string, signature: string): boolean {
    const publicKey = this.#trusted.get(keyId);
    return (
      publicKey !== undefined &&
      verify(null, Buffer.from(text), publicKey, Buffer.from(signature, 'base64'))
    );
  }

  /** A key for sealing derived data (the read model), derived from the signing key. */
  derivedKey(purpose: string): Buffer {
    const secret = this.#privateKey.export({ type: 'pkcs8', format: 'der' });
    return Buffer.from(hkdfSync('sha256', secret, 'bcf-ledger', purpose, 32));
  }
}

function trustedKeys(publicKeysFile: string): Map<string, KeyObject> {
  const trusted = new Map<string, KeyObject>();
  if (!existsSync(publicKeysFile)) return trusted;
  const entries = JSON.parse(readFileSync(publicKeysFile, 'utf8')) as Record<string, string>;
  for (const pem of Object.values(entries)) {
    const key = createPublicKey(pem);
    // The id is recomputed from the key, never taken from the file's own label.
    trusted.set(keyIdOf(key), key);
  }
  return trusted;
}

function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function writeAtomically(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, path);
}
