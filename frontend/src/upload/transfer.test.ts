import { describe, expect, it, vi } from 'vitest';
import type { MultipartPlan } from '../types';
import { PutError, Rate, sendParts, sendSingle, type Put } from './transfer';

const plan = (size: number, partSize: number): MultipartPlan => ({
  uploadId: 'u-1',
  partSize,
  parts: Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({ partNumber: i + 1, url: `https://s3/part/${i + 1}` })),
  complete: 'uploads/v/complete',
  abort: 'uploads/v',
  expiresAt: '2030-01-01T00:00:00Z',
});

const noWait = { backoff: () => 0 };

describe('sendParts', () => {
  it("sends each part's bytes to its URL and lists the ETags in order", async () => {
    const file = new Blob([new Uint8Array(25)]);
    const seen: { url: string; size: number }[] = [];
    const put: Put = async (url, body, _h, onSent) => {
      seen.push({ url, size: body.size });
      onSent(body.size);
      return `"etag-${url.slice(-1)}"`;
    };
    const parts = await sendParts(file, plan(25, 10), { put, signal: new AbortController().signal, ...noWait });
    expect(parts).toEqual([{ partNumber: 1, etag: '"etag-1"' }, { partNumber: 2, etag: '"etag-2"' }, { partNumber: 3, etag: '"etag-3"' }]);
    expect(seen.map((s) => s.size).sort()).toEqual([10, 10, 5]);
  });

  it('retries a part that failed in a way worth retrying, and counts only the bytes that arrived', async () => {
    const file = new Blob([new Uint8Array(20)]);
    const attempts = new Map<string, number>();
    const progress: number[] = [];
    const put: Put = async (url, body, _h, onSent) => {
      const n = (attempts.get(url) ?? 0) + 1;
      attempts.set(url, n);
      if (url.endsWith('/2') && n < 3) {
        onSent(body.size / 2);
        throw new PutError(n === 1 ? 0 : 503);
      }
      onSent(body.size);
      return 'e';
    };
    await sendParts(file, plan(20, 10), { put, signal: new AbortController().signal, concurrency: 1, onProgress: (s) => progress.push(s), ...noWait });
    expect(attempts.get('https://s3/part/2')).toBe(3);
    expect(progress.at(-1)).toBe(20);
    expect(Math.max(...progress)).toBe(20);
  });

  it('gives up on a refusal that retrying cannot fix', async () => {
    const put = vi.fn<Put>(async () => {
      throw new PutError(403);
    });
    await expect(sendParts(new Blob([new Uint8Array(10)]), plan(10, 10), { put, signal: new AbortController().signal, ...noWait }))
      .rejects.toThrow('expired');
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('keeps at most `concurrency` parts in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const put: Put = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return 'e';
    };
    await sendParts(new Blob([new Uint8Array(100)]), plan(100, 10), { put, signal: new AbortController().signal, concurrency: 3 });
    expect(most).toBe(3);
  });

  it('stops retrying once cancelled', async () => {
    const controller = new AbortController();
    const put: Put = async () => {
      controller.abort();
      throw new PutError(500);
    };
    await expect(sendParts(new Blob([new Uint8Array(10)]), plan(10, 10), { put, signal: controller.signal, backoff: () => 50 }))
      .rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('sendSingle', () => {
  it('puts the whole file with the headers the server signed', async () => {
    const put = vi.fn<Put>(async (_u, body, _h, onSent) => {
      onSent(body.size);
      return null;
    });
    const file = new Blob([new Uint8Array(7)]);
    await sendSingle(file, { method: 'PUT', url: 'https://s3/x', headers: { 'Content-Type': 'video/mp4' }, expiresAt: '' },
      { put, signal: new AbortController().signal });
    expect(put).toHaveBeenCalledWith('https://s3/x', file, { 'Content-Type': 'video/mp4' }, expect.any(Function), expect.anything());
  });
});

describe('Rate', () => {
  it('measures over the last few seconds and says the time left at that pace', () => {
    let now = 0;
    const rate = new Rate(5000, () => now);
    rate.add(0);
    now = 1000;
    rate.add(1_000_000);
    now = 2000;
    rate.add(2_000_000);
    expect(rate.bytesPerSecond()).toBe(1_000_000);
    expect(rate.secondsLeft(10_000_000)).toBe(8);
  });
});
