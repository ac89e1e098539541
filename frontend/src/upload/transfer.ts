import type { MultipartPlan, SinglePut } from '../types';

/** One PUT of a body to a presigned URL: resolves with S3's ETag, reports bytes sent, rejects with a {@link PutError}. */
export type Put = (url: string, body: Blob, headers: Record<string, string>, onSent: (bytes: number) => void,
  signal: AbortSignal) => Promise<string | null>;

/** A failed PUT: the HTTP status (0: no answer) and whether trying again can help. */
export class PutError extends Error {
  constructor(readonly status: number) {
    super(PutError.sentence(status));
  }

  /** What the uploader reads when a PUT fails for good. */
  static sentence(status: number): string {
    if (status === 0) return 'The connection to the storage was lost. Check your connection and upload again.';
    if (status === -1) return "The storage did not say which part it received (its CORS rules must expose the ETag header).";
    if (status === 403) return 'The storage refused the file: the upload link has expired or was cancelled. Upload again.';
    if (status === 400 || status === 411 || status === 413) return 'The storage refused the file as sent. Upload it again.';
    return 'The storage could not take the file right now. Try again in a moment.';
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The browser's PUT, by XMLHttpRequest (fetch cannot report upload progress). */
export const xhrPut: Put = (url, body, headers, onSent, signal) => new Promise((resolve, reject) => {
  const xhr = new XMLHttpRequest();
  xhr.open('PUT', url);
  for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
  xhr.upload.onprogress = (event) => onSent(event.loaded);
  xhr.onload = () => {
    if (xhr.status >= 200 && xhr.status < 300) {
      onSent(body.size);
      resolve(xhr.getResponseHeader('ETag'));
    } else {
      reject(new PutError(xhr.status));
    }
  };
  xhr.onerror = () => reject(new PutError(0));
  xhr.ontimeout = () => reject(new PutError(0));
  const abort = () => xhr.abort();
  xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
  signal.addEventListener('abort', abort, { once: true });
  xhr.onloadend = () => signal.removeEventListener('abort', abort);
  xhr.send(body);
});

export interface TransferOptions {
  put?: Put;
  /** Parts in flight at once. */
  concurrency?: number;
  /** Attempts per part (or for the single PUT) before giving up. */
  attempts?: number;
  /** Wait before retry n (1-based), in ms. */
  backoff?: (attempt: number) => number;
  onProgress?: (sent: number, total: number) => void;
  signal: AbortSignal;
}

export interface SentPart {
  partNumber: number;
  etag: string;
}

const cancelled = () => new DOMException('The upload was cancelled.', 'AbortError');

const wait = (ms: number, signal: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal.aborted) {
    reject(cancelled());
    return;
  }
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(new DOMException('The upload was cancelled.', 'AbortError'));
  }, { once: true });
});

/** A PUT with retries of what can be retried (no answer, 5xx, 429), counting bytes sent by the last attempt only. */
async function putWithRetry(put: Put, url: string, body: Blob, headers: Record<string, string>, options: TransferOptions,
  onSent: (bytes: number) => void): Promise<string | null> {
  const attempts = options.attempts ?? 4;
  const backoff = options.backoff ?? ((n: number) => 1000 * 2 ** (n - 1));
  for (let attempt = 1; ; attempt++) {
    try {
      return await put(url, body, headers, onSent, options.signal);
    } catch (error) {
      onSent(0);
      if (options.signal.aborted) throw cancelled();
      if (!(error instanceof PutError) || !error.retryable || attempt >= attempts) throw error;
      await wait(backoff(attempt), options.signal);
    }
  }
}

/** Sends the whole file in one presigned PUT. */
export async function sendSingle(file: Blob, plan: SinglePut, options: TransferOptions): Promise<void> {
  await putWithRetry(options.put ?? xhrPut, plan.url, file, plan.headers, options,
    (sent) => options.onProgress?.(sent, file.size));
}

/**
 * Sends the file's parts to their presigned URLs, `concurrency` at a time, each retried on its own; resolves with
 * every part's ETag in order, for the complete call. Part n is bytes [(n-1)·partSize, n·partSize).
 */
export async function sendParts(file: Blob, plan: MultipartPlan, options: TransferOptions): Promise<SentPart[]> {
  const put = options.put ?? xhrPut;
  const sentPerPart = new Array<number>(plan.parts.length).fill(0);
  const report = () => options.onProgress?.(sentPerPart.reduce((a, b) => a + b, 0), file.size);
  const results: SentPart[] = new Array(plan.parts.length);
  let next = 0;
  const worker = async () => {
    while (next < plan.parts.length) {
      const index = next++;
      const part = plan.parts[index];
      const start = (part.partNumber - 1) * plan.partSize;
      const body = file.slice(start, Math.min(start + plan.partSize, file.size));
      const etag = await putWithRetry(put, part.url, body, {}, options, (sent) => {
        sentPerPart[index] = sent;
        report();
      });
      if (!etag) throw new PutError(-1);
      results[index] = { partNumber: part.partNumber, etag };
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 3, plan.parts.length) }, worker);
  await Promise.all(workers);
  return results;
}

/** Bytes per second over the last few seconds, and the time left at that pace. */
export class Rate {
  #samples: { at: number; sent: number }[] = [];

  constructor(private readonly windowMs = 5000, private readonly now: () => number = () => performance.now()) {
  }

  add(sent: number): void {
    const at = this.now();
    this.#samples.push({ at, sent });
    while (this.#samples.length > 2 && at - this.#samples[1].at > this.windowMs) this.#samples.shift();
  }

  bytesPerSecond(): number {
    if (this.#samples.length < 2) return 0;
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.sent - first.sent) / seconds) : 0;
  }

  secondsLeft(total: number): number {
    const rate = this.bytesPerSecond();
    const sent = this.#samples.at(-1)?.sent ?? 0;
    return rate > 0 ? (total - sent) / rate : Number.POSITIVE_INFINITY;
  }
}
