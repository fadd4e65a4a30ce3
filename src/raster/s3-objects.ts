import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';

// Loaded on first use: the SDK is ~20 MiB of RSS that a server without an S3 store never needs.
type Sdk = typeof import('@aws-sdk/client-s3');
let sdk: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdk ??= import('@aws-sdk/client-s3'));

/** `s3://bucket/prefix` → its parts; the prefix has no leading or trailing slash. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new Error(`The raster store '${url}' is not an s3://bucket/prefix URL.`);
  return { bucket: match[1]!, prefix: match[2]!.replace(/\/+$/, '') };
}

/**
 * The GDAL path of an S3 URL: `s3://bucket/prefix` → `/vsis3/bucket/prefix`. Also sets, for this
 * process and the GDAL utilities it starts, what GDAL needs to share that store with others.
 */
export function vsis3Path(url: string): string {
  const { bucket, prefix } = parseS3Url(url);
  const root = prefix ? `/vsis3/${bucket}/${prefix}` : `/vsis3/${bucket}`;
  useGdalSettingsFor(root);
  return root;
}

/**
 * Other processes write and delete objects under the store: GDAL must not answer from the
 * listings and file sizes it cached (a COG written a moment ago by a worker would "not exist").
 * The COG driver seeks while writing: GDAL then writes a local temp file and uploads it.
 */
function useGdalSettingsFor(root: string): void {
  const env = process.env;
  const nonCached = (env.CPL_VSIL_CURL_NON_CACHED ?? '').split(':').filter(Boolean);
  if (!nonCached.includes(root)) env.CPL_VSIL_CURL_NON_CACHED = [...nonCached, root].join(':');
  env.CPL_VSIL_USE_TEMP_FILE_FOR_RANDOM_WRITE ??= 'YES';
}

/** `/vsis3/bucket/key…` → bucket and key. */
export function parseVsis3Path(file: string): { bucket: string; key: string } {
  const match = /^\/vsis3\/([^/]+)\/?(.*)$/.exec(file);
  if (!match) throw new Error(`not a /vsis3/ path: ${file}`);
  return { bucket: match[1]!, key: match[2]! };
}

let client: S3Client | undefined;

/**
 * One client per process, configured from the variables GDAL reads (`AWS_S3_ENDPOINT`,
 * `AWS_HTTPS`, `AWS_VIRTUAL_HOSTING`, `AWS_REGION`, the access keys), so that what GDAL writes
 * through `/vsis3/` and what we list and delete here are the same objects.
 */
async function s3(): Promise<{ client: S3Client } & Sdk> {
  const loaded = await loadSdk();
  const { S3Client } = loaded;
  const env = process.env;
  const endpoint = env.AWS_S3_ENDPOINT;
  const https = !/^(no|false|off)$/i.test(env.AWS_HTTPS ?? 'YES');
  client ??= new S3Client({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `${https ? 'https' : 'http'}://${endpoint}` } : {}),
    forcePathStyle: /^(no|false|off)$/i.test(env.AWS_VIRTUAL_HOSTING ?? 'TRUE'),
    // Checksums only where S3 requires them: an uploaded stream otherwise goes out `aws-chunked`
    // with a trailing checksum, which S3-compatible stores such as s3rver keep as the bytes.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return { ...loaded, client };
}

/** Deletes these objects (missing ones are fine), up to 1,000 per request. */
export async function deleteObjects(bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const { client, DeleteObjectsCommand } = await s3();
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
  }
}

/** Copies one `/vsis3/` object to another key, server-side (S3 has no hard links). */
export async function copyObject(from: string, to: string): Promise<void> {
  const source = parseVsis3Path(from);
  const target = parseVsis3Path(to);
  const { client, CopyObjectCommand } = await s3();
  await client.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: encodeURI(`${source.bucket}/${source.key}`) }));
}

/**
 * Uploads a local file (or bytes) as one `/vsis3/` object, byte for byte: results that are
 * already cloud-optimized need no re-encoding through GDAL. One PUT (S3 takes up to 5 GiB).
 */
export async function putObject(from: string | Buffer, to: string): Promise<void> {
  const target = parseVsis3Path(to);
  const { client, PutObjectCommand } = await s3();
  const body = typeof from === 'string' ? createReadStream(from) : from;
  const length = typeof from === 'string' ? (await stat(from)).size : from.length;
  await client.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: body, ContentLength: length }));
}

/** Keys of every object under a prefix. */
export async function listObjects(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const { client, ListObjectsV2Command } = await s3();
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes every object under a `/vsis3/bucket/prefix` "folder". */
export async function deleteFolderObjects(folder: string): Promise<void> {
  const { bucket, key } = parseVsis3Path(folder);
  const prefix = key.replace(/\/*$/, '/');
  await deleteObjects(bucket, await listObjects(bucket, prefix));
}
