import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { UploadedFile } from './request-state.js';

/**
 * Reads a multipart body: fields become parameters, file parts stream to temporary files under
 * `<dataDir>/tmp/uploads` (never held in memory, never named by the client). The files are removed
 * after the response unless a handler moved them.
 */
export async function readMultipart(
  request: FastifyRequest,
  uploadDir: string,
  /** Called before the first file part is written, with the fields read so far (checks the token). */
  beforeFiles: (fields: Record<string, string>) => Promise<void>,
): Promise<{ fields: Record<string, string>; uploads: UploadedFile[] }> {
  const fields: Record<string, string> = {};
  const uploads: UploadedFile[] = [];
  // Fields are held in memory: together they get the route's body limit, as a form body would.
  const fieldLimit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  let fieldBytes = 0;
  let checked = false;
  await mkdir(uploadDir, { recursive: true });
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        const value = String(part.value ?? '');
        fieldBytes += value.length + part.fieldname.length;
        if (fieldBytes > fieldLimit || part.valueTruncated) throw tooLarge('The request body is larger than this operation allows.');
        fields[part.fieldname] = value;
        continue;
      }
      if (!checked) {
        await beforeFiles(fields);
        checked = true;
      }
      const target = path.join(uploadDir, randomBytes(16).toString('hex'));
      await pipeline(part.file, createWriteStream(target));
      const upload = { field: part.fieldname, fileName: part.filename, mimeType: part.mimetype, path: target, size: part.file.bytesRead };
      uploads.push(upload);
      if (part.file.truncated) throw tooLarge('The uploaded file is larger than the server allows.');
    }
  } catch (error) {
    await removeUploads(uploads);
    if (error instanceof ApiError) throw error;
    throw ApiError.invalidParameter('The multipart request body could not be read.');
  }
  return { fields, uploads };
}

function tooLarge(detail: string): ApiError {
  return new ApiError(413, 'Request Entity Too Large', [detail]);
}

export async function removeUploads(uploads: UploadedFile[]): Promise<void> {
  await Promise.all(uploads.map((upload) => rm(upload.path, { force: true })));
}
