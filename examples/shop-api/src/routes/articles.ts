import express, { Request, Response } from 'express';
import { z } from 'zod';
import { config } from '../config';
import { requireAuth, requireRole } from '../middleware/auth';
import { Article, articleService } from '../services/articleService';

const router = express.Router();

interface CachedPage {
  expiresAt: number;
  payload: { items: Article[]; total: number };
}

// Rendered list pages keyed by the normalised query string.
const listCache = new Map<string, CachedPage>();

const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  tag: z.string().trim().max(40).optional(),
});

const articleBody = z.object({
  title: z.string().trim().min(3).max(200),
  body: z.string().min(1).max(100_000),
  tags: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  published: z.boolean().default(false),
});

const canEdit = (req: Request, article: Article): boolean =>
  req.user?.role === 'admin' || req.user?.id === article.authorId;

router.get('/', async (req: Request, res: Response) => {
  const parsed = listQuery.safeParse(req.query);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid query', issues: parsed.error.issues });
  }
  const key = JSON.stringify(parsed.data);
  const hit = listCache.get(key);
  if (hit && hit.expiresAt > Date.now()) {
    res.setHeader('X-Cache', 'HIT');
    return res.json(hit.payload);
  }
  const payload = await articleService.list(parsed.data);
  listCache.set(key, { expiresAt: Date.now() + config.articleCacheTtlMs, payload });
  res.setHeader('X-Cache', 'MISS');
  res.json(payload);
});

router.post('/', requireAuth, requireRole('editor', 'admin'), async (req: Request, res: Response) => {
  const parsed = articleBody.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid article', issues: parsed.error.issues });
  }
  const article = await articleService.create({ ...parsed.data, authorId: req.user!.id });
  listCache.clear();
  res.status(201).location(`/api/articles/${article.id}`).json(article);
});

router
  .route('/:id')
  .get(async (req: Request<{ id: string }>, res: Response) => {
    const article = await articleService.getById(req.params.id);
    if (!article || (!article.published && !canEdit(req, article))) {
      return res.status(404).json({ error: 'Article not found' });
    }
    res.json(article);
  })
  .put(requireAuth, async (req: Request<{ id: string }>, res: Response) => {
    const existing = await articleService.getById(req.params.id);
    if (!existing) {
      return res.status(404).json({ error: 'Article not found' });
    }
    if (!canEdit(req, existing)) {
      return res.status(403).json({ error: 'You can only edit your own articles' });
    }
    const parsed = articleBody.safeParse(req.body);
    if (!parsed.success) {
      return res.status(400).json({ error: 'Invalid article', issues: parsed.error.issues });
    }
    const updated = await articleService.update(req.params.id, parsed.data);
    listCache.clear();
    res.json(updated);
  })
  .delete(requireAuth, requireRole('admin'), async (req: Request<{ id: string }>, res: Response) => {
    const removed = await articleService.remove(req.params.id);
    if (!removed) {
      return res.status(404).json({ error: 'Article not found' });
    }
    listCache.clear();
    res.status(204).end();
  });

export default router;
