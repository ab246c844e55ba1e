/**
 * Secrets SafeForest must use again in clear (a webhook's signing secret, the SMTP password, the
 * SMS gateway's token) are kept encrypted at rest with AES-256-GCM. Unlike a device key or a
 * password, which are only compared and so are stored as hashes, these must be recovered to sign
 * a body or to sign in to a server. The key comes from `SECRETS_KEY` (32 bytes, base64 or hex) or,
 * when that is not set, from `secrets.key` in the data directory, made on first start (mode 0600).
 * A stolen database dump alone reveals none of them. See docs/decisions.md.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const KEY_FILE = 'secrets.key';

export type SecretBox = {
  /** The secret encrypted for storage, bound to `purpose` (a secret cannot be moved to another field). */
  seal(secret: string, purpose: string): string;
  /** The secret back in clear; throws when the key or the purpose is not the one it was sealed with. */
  open(sealed: string, purpose: string): string;
};

/** Reads a 32-byte key given as base64 or hex. */
function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes, written as base64 or as 64 hex digits');
  return key;
}

/** The key of this installation: from the environment, else the data directory's key file (made when missing). */
export function loadSecretsKey({ envKey, dataDir }: { envKey?: string; dataDir: string }): Buffer {
  if (envKey) return parseKey(envKey);
  const file = path.join(dataDir, KEY_FILE);
  try {
    return parseKey(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': two instances starting at once on one directory do not overwrite each other's key.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseKey(fs.readFileSync(file, 'utf8'));
    throw err;
  }
}

/**
 * Seals and opens secrets with one key: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The key
 * may be handed as a function, read on first use (a tool that never touches a secret makes no key file).
 */
export function createSecretBox(keyOrLoader: Buffer | (() => Buffer)): SecretBox {
  let loaded: Buffer | null = Buffer.isBuffer(keyOrLoader) ? keyOrLoader : null;
  const key = () => {
    loaded ??= (keyOrLoader as () => Buffer)();
    return loaded;
  };
  return {
    seal(secret, purpose) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(), iv);
      cipher.setAAD(Buffer.from(purpose));
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
    },
    open(sealed, purpose) {
      const [version, iv, tag, data] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
