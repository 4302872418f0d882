// What every chat surface (the API, the ISP console, both portals) does alike over HTTP: read a
// multipart form's file, and serve a stored attachment so a browser never runs or sniffs it.
import type { ChatUpload } from './service';

/** The `file` field of a parsed multipart form, or null when none was chosen. */
export async function uploadOf(form: Record<string, unknown>, field = 'file'): Promise<ChatUpload | null> {
  const value = form[field];
  if (!(value instanceof File) || value.size === 0) return null;
  return { fileName: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
}

export function textOf(form: Record<string, unknown>, field: string): string {
  const value = form[field];
  return typeof value === 'string' ? value : '';
}

/**
 * The stored bytes with the type they showed when checked (kernel/attachments.ts): `nosniff`, a
 * sandboxing CSP, images inline and PDFs always downloaded (never rendered on Kiunga's origin).
 */
export function attachmentResponse(attachment: { fileName: string; mimeType: string; bytes: Uint8Array }) {
  const disposition = attachment.mimeType.startsWith('image/') ? 'inline' : 'attachment';
  const asciiName = attachment.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(new Uint8Array(attachment.bytes), {
    status: 200,
    headers: {
      'content-type': attachment.mimeType,
      'content-length': String(attachment.bytes.byteLength),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      'cache-control': 'private, no-store',
    },
  });
}
