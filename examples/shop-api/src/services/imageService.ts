import sharp from 'sharp';

export interface ImageVariant {
  width: number;
  buffer: Buffer;
}

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
}

export async function readImageInfo(input: Buffer | string): Promise<ImageInfo> {
  const { width = 0, height = 0, format = 'unknown' } = await sharp(input).metadata();
  return { width, height, format };
}

export async function toWebp(input: Buffer | string, maxWidth: number, quality = 82): Promise<Buffer> {
  return sharp(input)
    .rotate()
    .resize({ width: maxWidth, withoutEnlargement: true })
    .webp({ quality })
    .toBuffer();
}

/** Produces one WebP rendition per requested width, largest first. */
export async function makeVariants(input: Buffer | string, widths: readonly number[]): Promise<ImageVariant[]> {
  const base = sharp(input).rotate();
  const sorted = [...widths].sort((a, b) => b - a);
  return Promise.all(
    sorted.map(async (width) => ({
      width,
      buffer: await base.clone().resize({ width, withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
    })),
  );
}
