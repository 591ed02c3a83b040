import PDFDocument from 'pdfkit';
import { config } from '../config';
import type { Order } from './orderService';
import type { User } from './userService';

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

/**
 * Lays out an invoice for `order`. The caller pipes the returned document
 * somewhere and calls `doc.end()`.
 */
export function renderInvoice(order: Order, customer: User): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${order.id}` } });

  doc.fontSize(20).text(config.companyName);
  doc.fontSize(9).fillColor('#555').text(config.companyAddress.join('\n'));
  doc.moveDown(2).fillColor('#000');

  doc.fontSize(14).text(`Invoice ${order.id.slice(0, 8).toUpperCase()}`);
  doc.fontSize(10).text(`Date: ${new Date(order.createdAt).toLocaleDateString('en-GB')}`);
  doc.text(`Billed to: ${customer.name} <${customer.email}>`);
  doc.moveDown();

  const columns = { item: 50, qty: 330, unit: 390, total: 470 };
  const header = doc.y;
  doc.font('Helvetica-Bold');
  doc.text('Item', columns.item, header).text('Qty', columns.qty, header);
  doc.text('Unit', columns.unit, header).text('Total', columns.total, header);
  doc.font('Helvetica').moveDown(0.5);

  for (const line of order.lines) {
    const y = doc.y;
    doc.text(line.name, columns.item, y, { width: 270 });
    doc.text(String(line.quantity), columns.qty, y);
    doc.text(money(line.unitPriceCents, order.currency), columns.unit, y);
    doc.text(money(line.unitPriceCents * line.quantity, order.currency), columns.total, y);
    doc.moveDown(0.3);
  }

  doc.moveDown().font('Helvetica-Bold');
  doc.text(`Total due: ${money(order.totalCents, order.currency)}`, columns.unit, doc.y);
  doc.font('Helvetica').fontSize(8).fillColor('#777');
  doc.text('Thank you for shopping with us.', 50, 780, { align: 'center' });
  return doc;
}
