import nodemailer, { SentMessageInfo } from 'nodemailer';
import { config } from '../config';
import { withRetry } from '../utils/retry';
import type { EmailTemplate } from '../jobs/queues';

const transport = nodemailer.createTransport({
  host: process.env.SMTP_HOST ?? 'localhost',
  port: Number(process.env.SMTP_PORT ?? 587),
  secure: process.env.SMTP_PORT === '465',
  auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASSWORD } : undefined,
});

interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Renderer = (data: Record<string, unknown>) => RenderedEmail;

function formatMoney(cents: unknown, currency: unknown): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: String(currency ?? 'USD') }).format(
    Number(cents ?? 0) / 100,
  );
}

const templates: Readonly<Record<EmailTemplate, Renderer>> = {
  welcome: (data) => ({
    subject: 'Welcome to Acme Shop',
    text: `Hi ${data.name}, thanks for creating an account.`,
    html: `<p>Hi ${data.name},</p><p>Thanks for creating an account at Acme Shop.</p>`,
  }),
  'order-confirmation': (data) => ({
    subject: `Your order ${data.orderId} is confirmed`,
    text: `We received your order ${data.orderId} for ${formatMoney(data.totalCents, data.currency)}.`,
    html: `<p>We received your order <b>${data.orderId}</b> for ${formatMoney(data.totalCents, data.currency)}.</p>
      <p><a href="${config.publicBaseUrl}/account/orders/${data.orderId}">View your order</a></p>`,
  }),
  'password-reset': (data) => ({
    subject: 'Reset your Acme Shop password',
    text: `Use this link within one hour: ${config.publicBaseUrl}/reset-password?token=${data.token}`,
    html: `<p><a href="${config.publicBaseUrl}/reset-password?token=${data.token}">Reset your password</a></p>`,
  }),
};

export async function sendTemplate(
  template: EmailTemplate,
  to: string,
  data: Record<string, unknown>,
): Promise<SentMessageInfo> {
  const rendered = templates[template](data);
  return withRetry(() => transport.sendMail({ from: config.mailFrom, to, ...rendered }), {
    retries: 3,
    baseDelayMs: 500,
    shouldRetry: (err) => (err as { responseCode?: number }).responseCode !== 550,
  });
}

export async function verifyTransport(): Promise<boolean> {
  try {
    return await transport.verify();
  } catch {
    return false;
  }
}
