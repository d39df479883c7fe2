/**
 * The welcome email as an email client receives it: Mosaic's `welcome-email` asset in `format=html`
 * (escaped and safe whatever an editor typed) in a minimal HTML document. Mosaic's caching headers
 * are passed on: this answer depends on exactly what Mosaic's did (the same reader headers, the
 * visitor and consent from the same cookies), so its `Cache-Control` and `Vary` stay true. The
 * `ETag` is not: these bytes are not Mosaic's.
 */
import { mosaicForRequest } from '../../lib/mosaic';

export async function GET() {
  const { mosaic, last } = await mosaicForRequest();
  const { data } = await mosaic.asset('welcome-email', { format: 'html' });
  const body = data.slots
    .flatMap((slot) =>
      slot.chunks.map((chunk) => `<div data-slot="${slot.key}">${String(chunk.content)}</div>`)
    )
    .join('\n');
  const headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8' });
  if (last.cacheControl) headers.set('Cache-Control', last.cacheControl);
  if (last.vary) headers.set('Vary', last.vary);
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Welcome to Mosaic</title></head><body style="font-family:sans-serif;max-width:560px;margin:2rem auto">${body}</body></html>`,
    { headers }
  );
}
