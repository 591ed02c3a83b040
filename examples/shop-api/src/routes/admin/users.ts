import { Request, Response, Router } from 'express';
import { z } from 'zod';
import * as userService from '../../services/userService';

const usersRouter = Router();

const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(100).optional(),
});

const roleBody = z.object({ role: z.enum(['customer', 'editor', 'admin']) });

usersRouter.get('/', async (req: Request, res: Response) => {
  const parsed = listQuery.safeParse(req.query);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid query', issues: parsed.error.issues });
  }
  res.json(await userService.list(parsed.data));
});

usersRouter.get('/:id', async (req: Request<{ id: string }>, res: Response) => {
  const user = await userService.findById(req.params.id);
  if (!user) {
    return res.status(404).json({ error: 'User not found' });
  }
  res.json(user);
});

usersRouter.patch('/:id/role', async (req: Request<{ id: string }>, res: Response) => {
  if (req.params.id === req.user!.id) {
    return res.status(409).json({ error: 'Administrators cannot change their own role' });
  }
  const parsed = roleBody.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid role', issues: parsed.error.issues });
  }
  const user = await userService.setRole(req.params.id, parsed.data.role);
  if (!user) {
    return res.status(404).json({ error: 'User not found' });
  }
  req.log.info({ targetUserId: user.id, role: user.role }, 'user role changed');
  res.json(user);
});

usersRouter.delete('/:id', async (req: Request<{ id: string }>, res: Response) => {
  if (req.params.id === req.user!.id) {
    return res.status(409).json({ error: 'Administrators cannot delete themselves' });
  }
  const deleted = await userService.softDelete(req.params.id);
  if (!deleted) {
    return res.status(404).json({ error: 'User not found' });
  }
  res.status(204).end();
});

export default usersRouter;
