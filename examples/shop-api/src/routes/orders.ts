import express, { Request, Response } from 'express';
import { z } from 'zod';
import { SUPPORTED_CURRENCIES } from '../config';
import { emailQueue } from '../jobs/queues';
import { getExchangeRate } from '../jobs/nightly';
import { requireAuth } from '../middleware/auth';
import { broadcast } from '../realtime/notifications';
import { OrderError, orderService } from '../services/orderService';
import { renderInvoice } from '../services/pdfService';

const router = express.Router();

const createOrderBody = z.object({
  currency: z.enum(SUPPORTED_CURRENCIES).default('USD'),
  shippingAddressId: z.string().uuid(),
  lines: z
    .array(z.object({ productId: z.string().uuid(), quantity: z.number().int().min(1).max(99) }))
    .min(1)
    .max(50),
});

router.use(requireAuth);

router.post('/', async (req: Request, res: Response) => {
  const parsed = createOrderBody.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: 'Invalid order', issues: parsed.error.issues });
  }
  const user = req.user!;
  try {
    const order = await orderService.create(user.id, parsed.data, getExchangeRate(parsed.data.currency));
    await emailQueue.add(
      'order-confirmation',
      {
        template: 'order-confirmation',
        to: user.email,
        data: { orderId: order.id, totalCents: order.totalCents, currency: order.currency },
      },
      { jobId: `order-confirmation:${order.id}` },
    );
    broadcast({ type: 'order.created', orderId: order.id, status: order.status }, user.id);
    res.status(201).location(`/api/orders/${order.id}`).json(order);
  } catch (err) {
    if (err instanceof OrderError) {
      return res.status(err.status).json({ error: err.message });
    }
    throw err;
  }
});

router.get('/:id', async (req: Request<{ id: string }>, res: Response) => {
  const scope = req.user!.role === 'admin' ? undefined : req.user!.id;
  const order = await orderService.findById(req.params.id, scope);
  if (!order) {
    return res.status(404).json({ error: 'Order not found' });
  }
  res.json(order);
});

router.get('/:id/invoice', async (req: Request<{ id: string }>, res: Response) => {
  const order = await orderService.findById(req.params.id, req.user!.id);
  if (!order) {
    return res.status(404).json({ error: 'Order not found' });
  }
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="invoice-${order.id}.pdf"`);

  const doc = renderInvoice(order, req.user!);
  doc.on('error', (err) => {
    req.log.error({ err, orderId: order.id }, 'invoice rendering failed');
    res.destroy(err);
  });
  doc.pipe(res);
  doc.end();
});

export default router;
