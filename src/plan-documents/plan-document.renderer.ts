import { Writable } from 'node:stream';
import type { PlanDocumentView } from '../core/plans/plan-document';
import { ascii, Doc, ensure, heading, INK, MARGIN, MUTED, PAGE, pairs, RULE, table, writePdf } from '../statements/pdf-layout';

/** Who acknowledged a document, when and from where (drawn in the acknowledgment block once recorded). */
export interface AcknowledgmentStamp {
  name: string;
  acknowledgedAt: string;
  client: string;
}

/**
 * Draws the written plan of an assignment: the payee's figures, the plan's terms in words, the ramped quota by month,
 * the engine's worked examples, the hashes and an acknowledgment block. Deterministic as statements are: the creation
 * date is the first day the document covers and the document id derives from the document hash.
 */
export class PlanDocumentPdfRenderer {
  render(view: PlanDocumentView, out: Writable, ack: AcknowledgmentStamp | null = null): Promise<void> {
    const info = {
      title: `Commission plan ${view.plan.id} v${view.plan.version} - ${view.repId}`,
      subject: `plan document of assignment ${view.assignmentId}`,
      keywords: `document:${view.documentHash}`,
      date: new Date(`${view.covers.from}T00:00:00Z`),
    };
    return writePdf(out, info, (doc) => this.draw(doc, view, ack));
  }

  private draw(doc: Doc, v: PlanDocumentView, ack: AcknowledgmentStamp | null): void {
    const width = PAGE.width - 2 * MARGIN;
    doc.fillColor(INK).font('Helvetica-Bold').fontSize(16).text(ascii(`Commission plan: ${v.plan.name}`), MARGIN, MARGIN);
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(ascii(`for ${v.name} (${v.repId}), ${v.covers.from} to ${v.covers.to}; amounts in ${v.currency}`), MARGIN);
    doc.moveDown(0.4);

    heading(doc, 'Your figures');
    pairs(doc, v.figures.map((f) => [f.label, f.value]));

    for (const s of v.terms) {
      heading(doc, s.title);
      doc.font('Helvetica').fontSize(9).fillColor(INK);
      for (const line of s.lines) {
        const text = ascii(line.startsWith('  ') ? `- ${line.trim()}` : line);
        const indent = line.startsWith('  ') ? 14 : 0;
        ensure(doc, doc.heightOfString(text, { width: width - indent }) + 2);
        doc.text(text, MARGIN + indent, doc.y, { width: width - indent });
        doc.moveDown(0.15);
      }
    }

    ensure(doc, 90); // a heading never ends a page without the first rows of its table
    heading(doc, 'Your quota month by month');
    table(
      doc,
      [
        { title: 'Month', width: 80, align: 'left' },
        { title: 'Tenure month', width: 85, align: 'right' },
        { title: 'Ramp', width: 80, align: 'right' },
        { title: 'Days on the plan', width: 110, align: 'right' },
        { title: 'Quota', width: width - 355, align: 'right' },
      ],
      v.rampedQuota.map((m) => [m.period, String(m.tenureMonth), `${m.ramp}`, `${m.activeDays} of ${m.daysInMonth}`, m.quotaText]),
    );

    ensure(doc, 120);
    heading(doc, 'Worked examples');
    doc.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(ascii(v.examplesBasis), MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    // one column per attainment, one row per component: a component's label may be long, a column title is not
    const first = width - 3 * 110;
    table(
      doc,
      [{ title: `Earned over the covered months (${v.currency})`, width: first, align: 'left' }, ...v.examples.map((e) => ({ title: `at ${e.attainmentText}`, width: 110, align: 'right' as const }))],
      [
        ...(v.examples[0]?.components ?? []).map((c, i) => [c.label, ...v.examples.map((e) => e.components[i].earnedText)]),
        ['Total earned', ...v.examples.map((e) => e.earnedText)],
        ['Share of the target variable for these months', ...v.examples.map((e) => e.ofTargetText.replace(/ of the target variable.*$/, ''))],
        ['Credit that reaches the attainment', ...v.examples.map((e) => e.creditText)],
      ],
    );

    heading(doc, 'Acknowledgment');
    doc.font('Helvetica').fontSize(9).fillColor(INK);
    const statement =
      `I have received and read this commission plan, including the method by which my commissions are computed and paid. ` +
      `My acknowledgment names this document (${v.documentHash}) and plan version ${v.plan.id} v${v.plan.version} (${v.plan.hash}); ` +
      'a changed plan version or assignment is a new document that needs a new acknowledgment.';
    ensure(doc, doc.heightOfString(ascii(statement), { width }) + 60);
    doc.text(ascii(statement), MARGIN, doc.y, { width });
    doc.moveDown(0.6);
    if (ack) {
      pairs(doc, [
        ['Acknowledged by', ack.name],
        ['At (UTC)', ack.acknowledgedAt],
        ['From', ack.client],
      ]);
    } else {
      const y = doc.y + 18;
      doc.moveTo(MARGIN, y).lineTo(MARGIN + 220, y).lineWidth(0.5).strokeColor(RULE).stroke();
      doc.moveTo(MARGIN + 260, y).lineTo(MARGIN + 420, y).stroke();
      doc.font('Helvetica').fontSize(8).fillColor(MUTED).text('Payee (acknowledged in the portal)', MARGIN, y + 3, { width: 220 });
      doc.text('Date (UTC)', MARGIN + 260, y + 3, { width: 160 });
      doc.y = y + 16;
    }
    ensure(doc, 24);
    doc.moveDown(0.8).font('Helvetica').fontSize(7).fillColor(MUTED).text(ascii(`Document ${v.documentHash} (format ${v.format}), assignment ${v.assignmentId}; plan content hash ${v.plan.hash}.`), MARGIN, doc.y, { width });
  }
}
