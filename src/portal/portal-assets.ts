import * as fs from 'node:fs';
import * as path from 'node:path';

/** The portal's files: plain HTML, ES modules and CSS, served as they are (no build step). */
export interface PortalAsset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Where the static files are: next to this module when it runs from src/ (ts-node, jest), or, when it runs compiled
 * from dist/src/portal/, in the project's src/portal/static (tsc copies no assets). The working directory is a last
 * resort. The first directory holding index.html wins.
 */
export function portalStaticDir(): string {
  const candidates = [
    path.join(__dirname, 'static'),
    path.resolve(__dirname, '..', '..', '..', 'src', 'portal', 'static'),
    path.resolve(process.cwd(), 'src', 'portal', 'static'),
  ];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'index.html')));
  if (!dir) throw new Error(`portal files not found (looked in ${candidates.join(', ')})`);
  return dir;
}

/** Every servable file of the directory, by name (flat: no sub-directories, so no path ever reaches the disk). */
export function loadPortalAssets(dir: string = portalStaticDir()): Map<string, PortalAsset> {
  const assets = new Map<string, PortalAsset>();
  for (const name of fs.readdirSync(dir).sort()) {
    const type = CONTENT_TYPES[path.extname(name)];
    const file = path.join(dir, name);
    if (type && fs.statSync(file).isFile()) assets.set(name, { body: fs.readFileSync(file), contentType: type });
  }
  return assets;
}
