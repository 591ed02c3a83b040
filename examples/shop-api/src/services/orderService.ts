import { pool, withTransaction } from '../db/pool';
import type { Currency } from '../config';

export interface OrderLineInput {
  productId: string;
  quantity: number;
}

export interface OrderLine extends OrderLineInput {
  name: string;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  userId: string;
  status: 'pending' | 'paid' | 'shipped' | 'cancelled';
  currency: Currency;
  totalCents: number;
  shippingAddressId: string;
  createdAt: Date;
  lines: OrderLine[];
}

export class OrderError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = 'OrderError';
  }
}

interface ProductRow {
  id: string;
  name: string;
  price_cents: number;
  stock: number;
}

export class OrderService {
  async create(
    userId: string,
    input: { lines: OrderLineInput[]; currency: Currency; shippingAddressId: string },
    exchangeRate: number,
  ): Promise<Order> {
    return withTransaction(async (client) => {
      const { rows: products } = await client.query<ProductRow>(
        'SELECT id, name, price_cents, stock FROM products WHERE id = ANY($1) FOR UPDATE',
        [input.lines.map((line) => line.productId)],
      );
      const byId = new Map(products.map((product) => [product.id, product]));

      const lines: OrderLine[] = input.lines.map((line) => {
        const product = byId.get(line.productId);
        if (!product) throw new OrderError(`Unknown product ${line.productId}`, 422);
        if (product.stock < line.quantity) throw new OrderError(`Not enough stock for ${product.name}`, 409);
        return { ...line, name: product.name, unitPriceCents: Math.round(product.price_cents * exchangeRate) };
      });
      const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);

      const { rows } = await client.query<Omit<Order, 'lines'>>(
        `INSERT INTO orders (user_id, status, currency, total_cents, shipping_address_id)
         VALUES ($1, 'pending', $2, $3, $4)
         RETURNING id, user_id AS "userId", status, currency, total_cents AS "totalCents",
                   shipping_address_id AS "shippingAddressId", created_at AS "createdAt"`,
        [userId, input.currency, totalCents, input.shippingAddressId],
      );
      const order = rows[0];

      for (const line of lines) {
        await client.query(
          'INSERT INTO order_lines (order_id, product_id, name, quantity, unit_price_cents) VALUES ($1, $2, $3, $4, $5)',
          [order.id, line.productId, line.name, line.quantity, line.unitPriceCents],
        );
        await client.query('UPDATE products SET stock = stock - $2 WHERE id = $1', [line.productId, line.quantity]);
      }
      return { ...order, lines };
    });
  }

  async findById(id: string, userId?: string): Promise<Order | null> {
    const { rows } = await pool.query<Order>(
      `SELECT o.id, o.user_id AS "userId", o.status, o.currency, o.total_cents AS "totalCents",
              o.shipping_address_id AS "shippingAddressId", o.created_at AS "createdAt",
              json_agg(json_build_object('productId', l.product_id, 'name', l.name,
                'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents) ORDER BY l.id) AS lines
         FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE o.id = $1 AND ($2::uuid IS NULL OR o.user_id = $2)
        GROUP BY o.id`,
      [id, userId ?? null],
    );
    return rows[0] ?? null;
  }
}

export const orderService = new OrderService();
