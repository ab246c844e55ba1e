/**
 * Where capture snapshots are kept: files under the data directory by default, or an
 * S3-compatible object store (MinIO, Ceph, a cloud bucket) when one is configured. Never in table
 * rows: a city's checkpoints send hundreds of thousands of pictures a day. Keys begin with the
 * capture day (`2026/12/01/…`), so retention deletes whole days.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

export type SnapshotStore = {
  /** Where it keeps them, in words (the health page, logs). */
  readonly kind: 'directory' | 's3';
  put(key: string, data: Buffer): Promise<void>;
  /** The snapshot, or null when it is not (or no longer) kept. */
  get(key: string): Promise<Buffer | null>;
  /** Deletes every snapshot of the days before `day` (`YYYY/MM/DD`); answers how many. */
  deleteDaysBefore(day: string): Promise<number>;
};

/** An S3-compatible store: endpoint (for anything but AWS), bucket, region and keys. */
export type S3StoreConfig = {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted stores need. */
  forcePathStyle?: boolean;
  /** A prefix for every key (one bucket shared with other data). */
  prefix?: string;
};

const DAY = /^\d{4}\/\d{2}\/\d{2}$/;

/** A snapshot key of a capture: its day and an id (`2026/12/01/<checkpoint>/<hash>.jpg`). */
export function snapshotKey(capturedAt: Date, checkpointId: string, passageHash: string): string {
  const d = capturedAt.toISOString();
  return `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${checkpointId}/${passageHash}.jpg`;
}

/** Files under a directory: `<dir>/<key>`; a file is written whole (temp name, then renamed). */
export function createDirectorySnapshotStore(dir: string): SnapshotStore {
  const fileOf = (key: string) => {
    const file = path.resolve(dir, key);
    if (!file.startsWith(path.resolve(dir) + path.sep)) throw new Error(`snapshot key outside the store: ${key}`);
    return file;
  };
  return {
    kind: 'directory',
    async put(key, data) {
      const file = fileOf(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await fs.writeFile(temp, data);
      await fs.rename(temp, file);
    },
    async get(key) {
      try {
        return await fs.readFile(fileOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async deleteDaysBefore(day) {
      if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
      let deleted = 0;
      const entries = async (p: string) => (await fs.readdir(p, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory());
      for (const y of await entries(dir))
        for (const m of await entries(path.join(dir, y.name)))
          for (const d of await entries(path.join(dir, y.name, m.name))) {
            if (`${y.name}/${m.name}/${d.name}` >= day) continue;
            const folder = path.join(dir, y.name, m.name, d.name);
            deleted += await countFiles(folder);
            await fs.rm(folder, { recursive: true, force: true });
          }
      return deleted;
    },
  };
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) n += e.isDirectory() ? await countFiles(path.join(dir, e.name)) : 1;
  return n;
}

/** An S3-compatible bucket through the AWS SDK. */
export function createS3SnapshotStore(config: S3StoreConfig): SnapshotStore {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint),
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const prefix = config.prefix ? `${config.prefix.replace(/\/+$/, '')}/` : '';
  return {
    kind: 's3',
    async put(key, data) {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: prefix + key, Body: data, ContentType: 'image/jpeg' }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: prefix + key }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async deleteDaysBefore(day) {
      if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: prefix, ContinuationToken: token }));
        // Keys sort by day: the listing is in key order, so everything before `day` comes first.
        const old = (page.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k && k.slice(prefix.length, prefix.length + 10) < day);
        if (old.length) {
          await client.send(
            new DeleteObjectsCommand({ Bucket: config.bucket, Delete: { Objects: old.map((Key) => ({ Key })), Quiet: true } }),
          );
          deleted += old.length;
        }
        const reachedNewer = (page.Contents ?? []).some((o) => (o.Key ?? '').slice(prefix.length, prefix.length + 10) >= day);
        token = page.IsTruncated && !reachedNewer ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
    },
  };
}
