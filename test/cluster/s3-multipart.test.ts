import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putObject } from '../../src/raster/s3-objects.js';
import { BUCKET, freePort } from './harness.js';

/**
 * putObject against s3rver (its own process) behind a loopback proxy that records the S3
 * requests and can refuse one part: small files go up in one PUT, larger ones in parts (a small
 * part size set by the option), and a failed part aborts the multipart upload.
 */
const S3RVER = fileURLToPath(new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url));
let root: string;
let s3rver: ChildProcess;
let proxy: Server;
let reader: S3Client;
/** `METHOD query` of every request the proxy passed on or refused. */
const seen: string[] = [];
let refusePart: number | undefined;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'tessera-multipart-'));
  const s3Port = await freePort();
  s3rver = spawn(process.execPath, [S3RVER, '-d', path.join(root, 's3'), '-a', '127.0.0.1', '-p', String(s3Port), '--no-vhost-buckets', '--configure-bucket', BUCKET], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    s3rver.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    s3rver.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  // Headers go on unchanged (the Host header is signed): s3rver checks the same signature.
  proxy = createServer((incoming, outgoing) => {
    const query = new URL(incoming.url ?? '/', 'http://x').searchParams;
    seen.push(`${incoming.method} ${[...query.keys()].filter((k) => k !== 'x-id').sort().join('&')}`);
    if (refusePart !== undefined && query.get('partNumber') === String(refusePart)) {
      incoming.resume();
      outgoing.writeHead(400, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>refused by the test</Message></Error>');
      return;
    }
    const forwarded = httpRequest({ host: '127.0.0.1', port: s3Port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  // What the module's S3 client reads, as GDAL does.
  Object.assign(process.env, {
    AWS_S3_ENDPOINT: `127.0.0.1:${(proxy.address() as { port: number }).port}`,
    AWS_HTTPS: 'NO',
    AWS_VIRTUAL_HOSTING: 'FALSE',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
  reader = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${s3Port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}, 60_000);

afterAll(async () => {
  reader?.destroy();
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  s3rver?.kill();
  rmSync(root, { recursive: true, force: true });
});

async function stored(key: string): Promise<Buffer> {
  const object = await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

const parts = () => seen.filter((r) => r === 'PUT partNumber&uploadId').length;

describe('putObject to S3', () => {
  it('sends a file up to the part size in one PUT, a larger one in parts, byte for byte', async () => {
    const bytes = randomBytes(300 * 1024 + 17);
    const file = path.join(root, 'big.bin');
    writeFileSync(file, bytes);

    seen.length = 0;
    expect(await putObject(file, `/vsis3/${BUCKET}/up/whole.bin`, { partBytes: bytes.length })).toEqual({ parts: 1 });
    expect(seen).toEqual(['PUT ']);
    expect((await stored('up/whole.bin')).equals(bytes)).toBe(true);

    seen.length = 0;
    expect(await putObject(file, `/vsis3/${BUCKET}/up/parts.bin`, { partBytes: 64 * 1024 })).toEqual({ parts: 5 });
    expect(seen[0]).toBe('POST uploads');
    expect(parts()).toBe(5);
    expect(seen.at(-1)).toBe('POST uploadId');
    expect((await stored('up/parts.bin')).equals(bytes)).toBe(true);

    // An empty file is one empty object.
    writeFileSync(path.join(root, 'empty.bin'), '');
    expect(await putObject(path.join(root, 'empty.bin'), `/vsis3/${BUCKET}/up/empty.bin`)).toEqual({ parts: 1 });
    expect(await stored('up/empty.bin')).toHaveLength(0);

    // Bytes in memory as well, the last part short.
    seen.length = 0;
    expect(await putObject(bytes, `/vsis3/${BUCKET}/up/buffer.bin`, { partBytes: 100 * 1024 })).toEqual({ parts: 4 });
    expect((await stored('up/buffer.bin')).equals(bytes)).toBe(true);
  });

  it('aborts the multipart upload when a part fails: no object appears', async () => {
    const file = path.join(root, 'refused.bin');
    writeFileSync(file, randomBytes(400 * 1024));
    seen.length = 0;
    refusePart = 3;
    try {
      await expect(putObject(file, `/vsis3/${BUCKET}/up/refused.bin`, { partBytes: 64 * 1024 })).rejects.toThrow(/refused by the test/);
    } finally {
      refusePart = undefined;
    }
    expect(seen).toContain('DELETE uploadId');
    expect(seen).not.toContain('POST uploadId');
    // Nothing was sent after the abort.
    expect(seen.at(-1)).toBe('DELETE uploadId');
    await expect(reader.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'up/refused.bin' }))).rejects.toThrow();
  });

  it('stops at once when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the test'));
    seen.length = 0;
    await expect(putObject(randomBytes(1024), `/vsis3/${BUCKET}/up/cancelled.bin`, { signal: controller.signal })).rejects.toThrow(/cancelled by the test/);
    expect(seen).toEqual([]);
  });
});
