// Chat attachments: what a person may attach to a support or client conversation (images and PDF,
// at most 2 MB), decided from the file's bytes, never from the name or the type the browser claims.
import { KiungaError } from '@kiunga/schemas';
import { fileTypeFromBuffer } from 'file-type';

/** Issue 14: "attachments limited (images and PDF up to 2 MB)": a phone photo or a scanned receipt. */
export const ATTACHMENT_BYTES_MAX = 2 * 1024 * 1024;

/** The types a conversation accepts, by the MIME type their bytes show. */
export const ATTACHMENT_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export type AttachmentMimeType = (typeof ATTACHMENT_MIME_TYPES)[number];

export interface CheckedAttachment {
  fileName: string;
  mimeType: AttachmentMimeType;
  bytes: Uint8Array;
}

/** Longest file name kept; longer names are cut (the name is only shown, never used as a path). */
const FILE_NAME_CHARS_MAX = 120;

function isAcceptedMimeType(mime: string): mime is AttachmentMimeType {
  return (ATTACHMENT_MIME_TYPES as readonly string[]).includes(mime);
}

/**
 * Checks an upload: refuses an empty or too large file (413 `payload_too_large`) and any file
 * whose bytes are not an accepted image or PDF (415 `unsupported_media_type`, whatever its name or
 * claimed type says). Returns the type the bytes show and a display-safe file name.
 */
export async function checkAttachment(fileName: string, bytes: Uint8Array): Promise<CheckedAttachment> {
  if (bytes.byteLength === 0) throw new KiungaError('validation_failed', 'The attached file is empty.');
  if (bytes.byteLength > ATTACHMENT_BYTES_MAX) {
    throw new KiungaError('payload_too_large', 'An attachment may be at most 2 MB.');
  }
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !isAcceptedMimeType(detected.mime)) {
    throw new KiungaError(
      'unsupported_media_type',
      'Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.',
    );
  }
  return { fileName: displayFileName(fileName, detected.ext), mimeType: detected.mime, bytes };
}

/** The name shown for an attachment: no path, no control characters, bounded, with a fallback. */
export function displayFileName(fileName: string, extension: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  const name = base.length > 0 ? base : `attachment.${extension}`;
  return name.length > FILE_NAME_CHARS_MAX ? name.slice(0, FILE_NAME_CHARS_MAX) : name;
}
