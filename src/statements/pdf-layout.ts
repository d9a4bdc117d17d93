/** The page layout the PDFs share (statements, plan documents): A4, Helvetica, muted labels, tables that repeat their header. */
import PDFDocument from 'pdfkit';
import { Writable } from 'node:stream';

export type Doc = PDFKit.PDFDocument;

export const MARGIN = 40;
export const PAGE = { width: 595.28, height: 841.89 }; // A4
export const BOTTOM = PAGE.height - MARGIN - 20;
export const INK = '#1a1a1a';
export const MUTED = '#555555';
export const RULE = '#bbbbbb';

export interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** PDF text is WinAnsi in the standard fonts: replace the few characters it cannot show. */
export function ascii(s: string): string {
  return s
    .replace(/\u2265/g, '>=')
    .replace(/\u2264/g, '<=')
    .replace(/\u2260/g, '!=')
    .replace(/[\u2212\u2013\u2014]/g, '-').replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\u00d7/g, 'x').replace(/[^\n\x20-\x7e\u00a0-\u00ff]/g, "?");
}

/** A new page when `height` more points would run past the bottom margin. */
export function ensure(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

/** A section heading with a rule under it. */
export function heading(doc: Doc, text: string): void {
  ensure(doc, 40);
  doc.moveDown(0.7).font('Helvetica-Bold').fontSize(11).fillColor(INK).text(ascii(text), MARGIN);
  const y = doc.y + 1;
  doc.moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).lineWidth(0.5).strokeColor(RULE).stroke();
  doc.y = y + 4;
}

/** Label and value rows, the label muted. */
export function pairs(doc: Doc, rows: [string, string][]): void {
  const labelWidth = 210;
  const valueWidth = PAGE.width - 2 * MARGIN - labelWidth;
  for (const [k, val] of rows) {
    doc.font('Helvetica').fontSize(9);
    const h = Math.max(doc.heightOfString(ascii(val), { width: valueWidth }), doc.heightOfString(ascii(k), { width: labelWidth - 8 })) + 2;
    ensure(doc, h);
    const y = doc.y;
    doc.fillColor(MUTED).text(ascii(k), MARGIN, y, { width: labelWidth - 8 });
    doc.fillColor(INK).text(ascii(val), MARGIN + labelWidth, y, { width: valueWidth });
    doc.y = y + h;
  }
}

/** A table whose header row repeats on every page it spans; rows never split across pages. */
export function table(doc: Doc, cols: Column[], rows: string[][]): void {
  const pad = 3;
  const drawHeader = () => {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(8.5).fillColor(INK);
    let x = MARGIN;
    for (const c of cols) {
      doc.text(ascii(c.title), x + pad, y, { width: c.width - 2 * pad, align: c.align });
      x += c.width;
    }
    const bottom = y + 12;
    doc.moveTo(MARGIN, bottom).lineTo(MARGIN + cols.reduce((s, c) => s + c.width, 0), bottom).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.y = bottom + 3;
  };
  ensure(doc, 30);
  drawHeader();
  doc.font('Helvetica').fontSize(8.5);
  for (const row of rows) {
    const h = Math.max(...row.map((cell, i) => doc.heightOfString(ascii(cell), { width: cols[i].width - 2 * pad }))) + 4;
    if (doc.y + h > BOTTOM) {
      doc.addPage();
      drawHeader();
      doc.font('Helvetica').fontSize(8.5);
    }
    const y = doc.y;
    let x = MARGIN;
    row.forEach((cell, i) => {
      doc.fillColor(i === 2 ? INK : INK).text(ascii(cell), x + pad, y, { width: cols[i].width - 2 * pad, align: cols[i].align });
      x += cols[i].width;
    });
    doc.y = y + h;
  }
}


/**
 * Writes one deterministic A4 document to `out`: the creation and modification dates are the fixed date given, and
 * the keywords carry the content's hash, so the same content gives byte-identical files. Resolves when written.
 */
export function writePdf(out: Writable, info: { title: string; subject: string; keywords: string; date: Date }, draw: (doc: Doc) => void): Promise<void> {
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    autoFirstPage: true,
    compress: true,
    info: { Title: ascii(info.title), Author: 'commission-engine', Subject: ascii(info.subject), Keywords: info.keywords, CreationDate: info.date, ModDate: info.date },
  });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  draw(doc);
  doc.end();
  return done;
}
