import { Writable } from 'node:stream';
import { StatementView } from '../core/statements/build-statement';
import { ascii, Doc, ensure, heading, INK, MARGIN, MUTED, PAGE, pairs, RULE, table, writePdf } from './pdf-layout';

/**
 * Draws a statement view with pdfkit's vector primitives. The renderer only draws: every number comes formatted from
 * the view model. Deterministic: the creation date is fixed and the document id derives from the view's content
 * hash, so the same closed period gives byte-identical files.
 */
export class StatementPdfRenderer {
  render(view: StatementView, out: Writable, fixedDate: Date): Promise<void> {
    const info = { title: `${view.title} - ${view.statementId}`, subject: `statement ${view.statementId}`, keywords: `content:${view.contentHash}`, date: fixedDate };
    return writePdf(out, info, (doc) => this.draw(doc, view));
  }

  private draw(doc: Doc, v: StatementView): void {
    const width = PAGE.width - 2 * MARGIN;
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(16).text(ascii(v.title), MARGIN, MARGIN);
    doc.font('Helvetica-Bold').fontSize(10).fillColor(v.status === 'FINAL' ? '#1d6b2f' : '#9a5b00').text(v.status, MARGIN, MARGIN + 4, { width, align: 'right' });
    doc.moveDown(0.6);
    pairs(doc, v.header);

    heading(doc, 'Plan and quota');
    pairs(doc, v.quota);
    if (v.rampSchedule.length) {
      ensure(doc, 26);
      doc.moveDown(0.3).font('Helvetica-Bold').fontSize(9).fillColor(INK).text('How the quota was set (ramp schedule and proration):', MARGIN);
      // the same size and ink as the figures around it: the schedule is what a payee checks their quota against
      doc.font('Helvetica').fontSize(9).fillColor(INK);
      for (const s of v.rampSchedule) ensure(doc, 12), doc.text(ascii(`  ${s}`), MARGIN, doc.y, { width });
    }

    if (v.attainment.length) {
      heading(doc, 'Attainment');
      table(
        doc,
        [
          { title: 'Measure', width: width - 300, align: 'left' },
          { title: 'Credit', width: 110, align: 'right' },
          { title: 'Quota', width: 110, align: 'right' },
          { title: 'Attainment', width: 80, align: 'right' },
        ],
        v.attainment.map((a) => [a.label, a.credit, a.quota, a.pct ?? 'n/a']),
      );
    }
    if (v.tiers) this.tierChart(doc, v.tiers);

    heading(doc, 'Payout lines');
    table(
      doc,
      [
        { title: '#', width: 22, align: 'right' },
        { title: 'Kind', width: 80, align: 'left' },
        { title: 'What and why', width: width - 22 - 80 - 100, align: 'left' },
        { title: 'Amount', width: 100, align: 'right' },
      ],
      v.lines.map((l) => [String(l.no), l.kind, l.detail ? `${l.description}\n${l.detail}` : l.description, l.amountText]),
    );
    ensure(doc, 22);
    doc.font('Helvetica-Bold').fontSize(11).fillColor(INK);
    const y = doc.y + 4;
    doc.text('Net payout', MARGIN, y, { width: width - 110 });
    doc.text(ascii(v.netPayoutText), MARGIN + width - 110, y, { width: 110, align: 'right' });
    doc.moveDown(0.5);
    pairs(doc, v.totals);

    heading(doc, 'Year to date');
    pairs(doc, v.ytd);
    heading(doc, 'Verification');
    pairs(doc, v.verification);
    doc.font('Helvetica').fontSize(9).fillColor(INK);
    if (v.openDisputes.length) for (const d of v.openDisputes) ensure(doc, 12), doc.text(ascii(`Open: ${d}`), MARGIN);
    else ensure(doc, 12), doc.text('Open disputes: none', MARGIN);
    ensure(doc, 24);
    doc.moveDown(0.8).font('Helvetica').fontSize(7).fillColor(MUTED).text(ascii(`Content hash ${v.contentHash}. Every line carries the rule, credit, split, FX rate, tier and rate that produced it.`), MARGIN, doc.y, { width });
  }

  /** Tier bands as a horizontal bar with the payee's attainment marked: drawn with vector primitives. */
  private tierChart(doc: Doc, t: NonNullable<StatementView['tiers']>): void {
    heading(doc, `Tier table: ${t.component}`);
    doc.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(ascii(t.basis), MARGIN);
    table(
      doc,
      [
        { title: 'Tier', width: 160, align: 'left' },
        { title: 'From', width: 80, align: 'right' },
        { title: 'To', width: 80, align: 'right' },
        { title: 'Rate', width: 120, align: 'right' },
        { title: 'Reached', width: 75, align: 'right' },
      ],
      t.bands.map((b) => [b.label, b.from, b.to ?? 'and above', b.rate, b.reached ? 'yes' : '']),
    );
    ensure(doc, 70);
    const x0 = MARGIN;
    const w = PAGE.width - 2 * MARGIN;
    // room above the bar for the "you" marker, clear of the table's last row
    const y = doc.y + 20;
    const h = 16;
    const pctOf = (s: string | null) => (s === null ? null : Number.parseFloat(s)); // chart geometry only, never money
    const bounds = t.bands.map((b) => ({ from: pctOf(b.from) ?? 0, to: pctOf(b.to) }));
    const position = pctOf(t.position);
    const top = Math.max(...bounds.map((b) => b.to ?? b.from + 50), position ?? 0, pctOf(t.cap) ?? 0) * 1.05 || 100;
    const xOf = (p: number) => x0 + (Math.min(p, top) / top) * w;
    const shades = ['#dfe7f2', '#bfd0e6', '#9fb8d9', '#7fa1cc', '#5f89bf', '#4a74a8'];
    // every band's start is labelled, and so is where the last band ends (the cap, or "and above" to the edge)
    const label = (text: string, x: number, align: 'left' | 'right') =>
      doc.font('Helvetica').fontSize(7).fillColor(INK).text(ascii(text), align === 'left' ? x + 1 : x - 61, y + h + 2, { width: 60, align, lineBreak: false });
    bounds.forEach((b, i) => {
      doc.rect(xOf(b.from), y, xOf(b.to ?? top) - xOf(b.from), h).fillColor(shades[i % shades.length]).fill();
      label(`${b.from}%`, xOf(b.from), 'left');
    });
    const last = bounds[bounds.length - 1];
    if (last?.to !== null && last?.to !== undefined) {
      label(`${last.to}%`, xOf(last.to), xOf(last.to) > x0 + w - 40 ? 'right' : 'left');
      // past the last band nothing more is paid: hatched, and said so
      const rest = x0 + w - xOf(last.to);
      if (rest > 2) {
        doc.rect(xOf(last.to), y, rest, h).fillColor('#f2f2f2').fill();
        const note = t.cap ? 'cap' : 'no tier';
        doc.font('Helvetica').fontSize(6.5);
        if (doc.widthOfString(note) < rest - 4) doc.fillColor(MUTED).text(note, xOf(last.to) + 2, y + 5, { lineBreak: false });
      }
    } else label('and above', x0 + w, 'right');
    doc.rect(x0, y, w, h).lineWidth(0.5).strokeColor(RULE).stroke();
    if (position !== null) {
      const px = xOf(position);
      doc.moveTo(px, y - 4).lineTo(px, y + h + 4).lineWidth(2).strokeColor('#c0392b').stroke();
      doc.font('Helvetica-Bold').fontSize(8).fillColor('#c0392b').text(ascii(`you: ${t.position}`), Math.min(px + 3, x0 + w - 60), y - 13, { lineBreak: false });
    }
    doc.y = y + h + 14;
    doc.x = MARGIN;
  }
}
