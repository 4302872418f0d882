// The attachment check: the bytes decide the type, the size is bounded, the name is only shown.
import { KiungaError } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_BYTES_MAX, checkAttachment, displayFileName } from './attachments';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const pngBytes = Uint8Array.from([
  ...PNG_SIGNATURE,
  0,
  0,
  0,
  13,
  0x49,
  0x48,
  0x44,
  0x52,
  ...new Array(17).fill(0),
]);
const pdfBytes = new TextEncoder().encode('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n');

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KiungaError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkAttachment', () => {
  it('takes a PNG and a PDF by their bytes, whatever name they carry', async () => {
    expect(await checkAttachment('receipt.txt', pngBytes)).toMatchObject({
      mimeType: 'image/png',
      fileName: 'receipt.txt',
    });
    expect(await checkAttachment('scan', pdfBytes)).toMatchObject({ mimeType: 'application/pdf' });
  });

  it('refuses a script named like an image, an empty file and one over 2 MB', async () => {
    const script = new TextEncoder().encode('<script>alert(1)</script>');
    expect(await codeOf(checkAttachment('photo.png', script))).toBe('unsupported_media_type');
    expect(await codeOf(checkAttachment('empty.png', new Uint8Array()))).toBe('validation_failed');
    const big = new Uint8Array(ATTACHMENT_BYTES_MAX + 1);
    big.set(PNG_SIGNATURE);
    expect(await codeOf(checkAttachment('big.png', big))).toBe('payload_too_large');
  });

  it('keeps only the last part of a path and drops control characters from the shown name', () => {
    expect(displayFileName('C:\\Users\\a\\..\\bill\u0000.pdf', 'pdf')).toBe('bill.pdf');
    expect(displayFileName('../../', 'png')).toBe('attachment.png');
  });
});
