import type { MediaUrl, PlaybackAnswer } from '../types';

/** How a video is played: hls.js over Media Source Extensions, the browser's own HLS, or a progressive MP4. */
export type Engine = 'hls.js' | 'native-hls' | 'mp4' | 'none';

export interface BrowserAbilities {
  mse: boolean;
  nativeHls: boolean;
}

/** What this browser can do, asked the way hls.js and the media element answer it. */
export function abilities(): BrowserAbilities {
  const mse = typeof window !== 'undefined' && ('MediaSource' in window || 'ManagedMediaSource' in window);
  const probe = document.createElement('video');
  const nativeHls = probe.canPlayType('application/vnd.apple.mpegurl') !== '';
  return { mse, nativeHls };
}

/**
 * hls.js wherever Media Source Extensions exist (adaptive, with a quality menu); the browser's own HLS where they do
 * not but it plays HLS (iOS Safari before 17.1); otherwise a progressive MP4.
 */
export function chooseEngine(browser: BrowserAbilities, playback: Pick<PlaybackAnswer, 'hls' | 'mp4'>): Engine {
  if (playback.hls && browser.mse) return 'hls.js';
  if (playback.hls && browser.nativeHls) return 'native-hls';
  if (playback.mp4.length > 0) return 'mp4';
  return playback.hls ? 'native-hls' : 'none';
}

/** The MP4 to play: the smallest at least as tall as the player needs, else the largest there is. */
export function pickMp4(mp4: MediaUrl[], neededHeight: number): MediaUrl | null {
  if (mp4.length === 0) return null;
  const byHeight = [...mp4].sort((a, b) => a.height - b.height);
  return byHeight.find((m) => m.height >= neededHeight) ?? byHeight[byHeight.length - 1];
}

/** Where to start: the saved position unless it is at the very end (the server already drops "finished" ones). */
export function startPosition(resumeAt: number | null | undefined): number {
  return resumeAt && Number.isFinite(resumeAt) && resumeAt > 0 ? resumeAt : 0;
}

/**
 * Renewals of expired URLs allowed per minute: a link that keeps failing right after renewal is not an expiry, and
 * the viewer should see an error rather than a loop.
 */
export class RenewalBudget {
  #times: number[] = [];

  constructor(private readonly perMinute = 3, private readonly now: () => number = () => Date.now()) {
  }

  take(): boolean {
    const at = this.now();
    this.#times = this.#times.filter((t) => at - t < 60_000);
    if (this.#times.length >= this.perMinute) return false;
    this.#times.push(at);
    return true;
  }
}
