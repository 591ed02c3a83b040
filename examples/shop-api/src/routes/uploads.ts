import express, { Request, Response } from 'express';
import multer from 'multer';
import sharp from 'sharp';
import os from 'os';
import path from 'path';
import { createReadStream, promises as fs } from 'fs';
import { randomUUID } from 'crypto';
import { ALLOWED_IMAGE_TYPES, config, MAX_UPLOAD_BYTES } from '../config';
import { requireAuth, requireRole } from '../middleware/auth';
import { makeVariants } from '../services/imageService';
import { putObject } from '../services/storage';

const router = express.Router();

const THUMBNAIL_DIR = path.join('public', 'thumbnails');

const upload = multer({
  dest: 'uploads/',
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 },
  fileFilter: (_req, file, cb) => cb(null, ALLOWED_IMAGE_TYPES.includes(file.mimetype)),
});

// Documents can be large, so they are spooled to the OS temp dir instead of memory.
const documentUpload = multer({
  storage: multer.diskStorage({
    destination: os.tmpdir(),
    filename: (_req, file, cb) => cb(null, `${randomUUID()}${path.extname(file.originalname).toLowerCase()}`),
  }),
  limits: { fileSize: 50 * 1024 * 1024, files: 1 },
});

router.post(
  '/images',
  requireAuth,
  requireRole('editor', 'admin'),
  upload.single('image'),
  async (req: Request, res: Response) => {
    if (!req.file) {
      return res.status(400).json({ error: `Expected a ${ALLOWED_IMAGE_TYPES.join(', ')} file in field "image"` });
    }
    const id = randomUUID();
    try {
      await fs.mkdir(THUMBNAIL_DIR, { recursive: true });
      await sharp(req.file.path)
        .rotate()
        .resize(320, 320, { fit: 'cover' })
        .webp({ quality: 75 })
        .toFile(path.join(THUMBNAIL_DIR, `${id}.webp`));

      const variants = await makeVariants(req.file.path, config.imageWidths);
      const urls = await Promise.all(
        variants.map((variant) =>
          putObject(`images/${id}/${variant.width}.webp`, variant.buffer, { contentType: 'image/webp' }),
        ),
      );
      res.status(201).json({
        id,
        thumbnailUrl: `/thumbnails/${id}.webp`,
        variants: variants.map((variant, i) => ({ width: variant.width, url: urls[i] })),
      });
    } finally {
      await fs.unlink(req.file.path).catch(() => undefined);
    }
  },
);

router.post('/documents', requireAuth, documentUpload.single('document'), async (req: Request, res: Response) => {
  if (!req.file) {
    return res.status(400).json({ error: 'Expected a file in field "document"' });
  }
  try {
    const key = `documents/${req.user!.id}/${req.file.filename}`;
    const url = await putObject(key, createReadStream(req.file.path), {
      contentType: req.file.mimetype,
      contentLength: req.file.size,
      cacheControl: 'private, max-age=0',
    });
    res.status(201).json({ key, url, size: req.file.size, originalName: req.file.originalname });
  } finally {
    await fs.unlink(req.file.path).catch(() => undefined);
  }
});

export default router;
