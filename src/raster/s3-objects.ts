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

/** Objects larger than this go up in parts of this size (S3 wants 5 MiB to 5 GiB a part, at most 10,000 parts). */
export const MULTIPART_PART_BYTES = 64 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** Parts in flight at once. */
const PART_CONCURRENCY = 4;

export interface PutOptions {
  /** Part size, and the size above which the upload is multipart (default MULTIPART_PART_BYTES). */
  partBytes?: number;
  /** Stops the upload: parts not sent are not sent, and the multipart upload is aborted. */
  signal?: AbortSignal;
}

/**
 * Uploads a local file (or bytes) as one `/vsis3/` object, byte for byte: results that are
 * already cloud-optimized need no re-encoding through GDAL. Up to `partBytes` in one PUT; larger
 * in a multipart upload (a few parts at a time, each read from the file as it goes), which is
 * aborted when a part fails or `signal` aborts, so the store keeps no orphaned parts (and the
 * object is never half there: it appears when the upload completes). Answers how many parts
 * it took (1: a single PUT).
 */
export async function putObject(from: string | Buffer, to: string, options: PutOptions = {}): Promise<{ parts: number }> {
  const target = parseVsis3Path(to);
  const sdk = await s3();
  const { client } = sdk;
  const length = typeof from === 'string' ? (await stat(from)).size : from.length;
  const partBytes = Math.max(options.partBytes ?? MULTIPART_PART_BYTES, Math.ceil(length / MAX_PARTS), 1);
  const slice = (start: number, size: number) =>
    typeof from !== 'string' ? from.subarray(start, start + size) : size === 0 ? Buffer.alloc(0) : createReadStream(from, { start, end: start + size - 1 });
  options.signal?.throwIfAborted();
  if (length <= partBytes) {
    await client.send(new sdk.PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: slice(0, length), ContentLength: length }), { abortSignal: options.signal });
    return { parts: 1 };
  }
  const where = { Bucket: target.bucket, Key: target.key };
  const { UploadId } = await client.send(new sdk.CreateMultipartUploadCommand(where), { abortSignal: options.signal });
  const count = Math.ceil(length / partBytes);
  const etags: string[] = new Array<string>(count);
  try {
    let next = 0;
    const sendParts = async () => {
      for (let part = next++; part < count; part = next++) {
        options.signal?.throwIfAborted();
        const start = part * partBytes;
        const size = Math.min(partBytes, length - start);
        const sent = await client.send(
          new sdk.UploadPartCommand({ ...where, UploadId, PartNumber: part + 1, Body: slice(start, size), ContentLength: size }),
          { abortSignal: options.signal },
        );
        etags[part] = sent.ETag!;
      }
    };
    // A failing part stops the others taking new ones (next moves past the end); the abort waits
    // for those in flight, so no part lands after it.
    const senders = await Promise.allSettled(
      Array.from({ length: Math.min(PART_CONCURRENCY, count) }, () =>
        sendParts().catch((error: unknown) => {
          next = count;
          throw error;
        }),
      ),
    );
    const failed = senders.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    options.signal?.throwIfAborted();
    await client.send(new sdk.CompleteMultipartUploadCommand({ ...where, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }));
  } catch (error) {
    // Best effort (some S3-compatible stores, s3rver among them, do not implement it).
    await client.send(new sdk.AbortMultipartUploadCommand({ ...where, UploadId })).catch(() => undefined);
    throw error;
  }
  return { parts: count };
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
