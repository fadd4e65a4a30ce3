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
): Promise<{ fields: Record<string, string>; uploads: UploadedFile[] }> {
  const fields: Record<string, string> = {};
  const uploads: UploadedFile[] = [];
  await mkdir(uploadDir, { recursive: true });
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      const target = path.join(uploadDir, randomBytes(16).toString('hex'));
      await pipeline(part.file, createWriteStream(target));
      const upload = { field: part.fieldname, fileName: part.filename, mimeType: part.mimetype, path: target, size: part.file.bytesRead };
      uploads.push(upload);
      if (part.file.truncated) throw new ApiError(400, 'Unable to complete operation.', ['The uploaded file is larger than the server allows.']);
    }
  } catch (error) {
    await removeUploads(uploads);
    if (error instanceof ApiError) throw error;
    throw ApiError.invalidParameter('The multipart request body could not be read.');
  }
  return { fields, uploads };
}

export async function removeUploads(uploads: UploadedFile[]): Promise<void> {
  await Promise.all(uploads.map((upload) => rm(upload.path, { force: true })));
}
