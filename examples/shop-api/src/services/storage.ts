import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'stream';
import { config } from '../config';

// One client per process; the SDK manages its own HTTP keep-alive agent.
export const s3 = new S3Client({ region: config.awsRegion });

export interface PutOptions {
  contentType: string;
  contentLength?: number;
  cacheControl?: string;
}

export async function putObject(key: string, body: Buffer | Readable, options: PutOptions): Promise<string> {
  await s3.send(
    new PutObjectCommand({
      Bucket: config.mediaBucket,
      Key: key,
      Body: body,
      ContentType: options.contentType,
      ContentLength: options.contentLength,
      CacheControl: options.cacheControl ?? 'public, max-age=31536000, immutable',
    }),
  );
  return `${config.cdnBaseUrl}/${key}`;
}

export async function getObjectStream(key: string): Promise<Readable> {
  const result = await s3.send(new GetObjectCommand({ Bucket: config.mediaBucket, Key: key }));
  if (!result.Body) {
    throw new Error(`S3 object ${key} has no body`);
  }
  return result.Body as Readable;
}

export async function deleteObject(key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: config.mediaBucket, Key: key }));
}
