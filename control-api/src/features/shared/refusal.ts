// What a feature core answers when it says no: a stable error code, the HTTP status and the words a person
// reads. The codes are not in the one catalogue (schemas/src/errors.ts) yet: each core lists its entries in
// the catalogue's own shape, and the integration step adds them there and throws
// `new KiungaError(refusal.code, refusal.message, refusal.httpStatus)`.

/** One catalogue entry, as in `errorCatalogue`. */
export interface RefusalEntry {
  readonly status: number;
  readonly message: string;
}

export interface Refusal<Code extends string> {
  readonly ok: false;
  readonly code: Code;
  /** The catalogue's words, or a more precise sentence for this case (amounts, times). */
  readonly message: string;
  readonly httpStatus: number;
}

/** A refusal with the catalogue's status; the catalogue's message unless a more precise one is given. */
export function refusal<Code extends string>(
  catalogue: Readonly<Record<Code, RefusalEntry>>,
  code: Code,
  message?: string,
): Refusal<Code> {
  const entry = catalogue[code];
  return { ok: false, code, message: message ?? entry.message, httpStatus: entry.status };
}
