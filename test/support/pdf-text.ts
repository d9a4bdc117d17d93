import { PDFParse } from 'pdf-parse';

/** Text and page count of a PDF, and each page's text, through pdf-parse (pdf.js). */
export async function pdfText(data: Buffer): Promise<{ text: string; pages: number; pageTexts: string[] }> {
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    const r = await parser.getText();
    return { text: r.text, pages: r.total, pageTexts: r.pages.map((p) => p.text) };
  } finally {
    await parser.destroy();
  }
}
