import { pool } from '../db/pool';

export interface Article {
  id: string;
  title: string;
  slug: string;
  body: string;
  tags: string[];
  published: boolean;
  authorId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ArticleInput {
  title: string;
  body: string;
  tags: string[];
  published: boolean;
}

export interface ListOptions {
  page: number;
  pageSize: number;
  tag?: string;
}

const COLUMNS = `id, title, slug, body, tags, published, author_id AS "authorId",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export const articleService = {
  async list({ page, pageSize, tag }: ListOptions): Promise<{ items: Article[]; total: number }> {
    const offset = (page - 1) * pageSize;
    const { rows } = await pool.query<Article & { total: number }>(
      `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM articles
       WHERE published AND ($3::text IS NULL OR $3 = ANY(tags))
       ORDER BY created_at DESC LIMIT $1 OFFSET $2`,
      [pageSize, offset, tag ?? null],
    );
    return { items: rows.map(({ total: _total, ...article }) => article), total: rows[0]?.total ?? 0 };
  },

  async getById(id: string): Promise<Article | null> {
    const { rows } = await pool.query<Article>(`SELECT ${COLUMNS} FROM articles WHERE id = $1`, [id]);
    return rows[0] ?? null;
  },

  async create(input: ArticleInput & { authorId: string }): Promise<Article> {
    const slug = `${slugify(input.title)}-${Date.now().toString(36)}`;
    const { rows } = await pool.query<Article>(
      `INSERT INTO articles (title, slug, body, tags, published, author_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [input.title, slug, input.body, input.tags, input.published, input.authorId],
    );
    return rows[0];
  },

  async update(id: string, input: ArticleInput): Promise<Article | null> {
    const { rows } = await pool.query<Article>(
      `UPDATE articles SET title = $2, body = $3, tags = $4, published = $5, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, input.title, input.body, input.tags, input.published],
    );
    return rows[0] ?? null;
  },

  async remove(id: string): Promise<boolean> {
    const result = await pool.query('DELETE FROM articles WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  },
};
