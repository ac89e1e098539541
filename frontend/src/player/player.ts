// media-chrome's controls are registered by ./controls (see ./load).
import 'hls-video-element';
import Hls from 'hls.js/dist/hls.mjs';
import { h } from '../dom';
import type { PlaybackAnswer } from '../types';
import { abilities, chooseEngine, pickMp4, RenewalBudget, startPosition, type Engine } from './engine';

/** What the player needs from the page: where the URLs came from, how to get new ones, where to save the position. */
export interface PlayerOptions {
  playback: PlaybackAnswer;
  /** The playback route's URL: the answer's relative references resolve against it. */
  playbackUrl: URL;
  title: string;
  durationSeconds: number | null;
  /** A fresh playback answer (new signed URLs), when the current ones have expired. */
  renew(): Promise<PlaybackAnswer>;
  /** Saves where the viewer is; `closing` when the page is going away (the request must outlive it). */
  savePosition(seconds: number, closing: boolean): void;
  /** A sentence for the viewer when playback cannot go on. */
  onError(sentence: string): void;
}

export interface Player {
  readonly element: HTMLElement;
  readonly media: HTMLVideoElement;
  readonly engine: Engine;
  dispose(): void;
}

type HlsVideo = HTMLVideoElement & { api: Hls | null; config: Partial<Hls['config']> | null };

const BANDWIDTH_KEY = 'reel.bandwidthEstimate';
const SAVE_EVERY_MS = 10_000;
/** Seconds hls.js buffers ahead once the viewer is watching. */
const BUFFER_WHILE_PLAYING = 30;

/** The last measured bandwidth, so the next video starts at the rung this connection can carry (as PeerTube does). */
function savedBandwidth(): number | null {
  try {
    const value = Number(localStorage.getItem(BANDWIDTH_KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

/**
 * hls.js as Reel configures it: start at the rung the last measured bandwidth (or a mid-ladder guess) can carry,
 * without first spending a segment on a bandwidth test, never above what the player can show, prefetching the first
 * segment while the media element attaches. Measured in docs/performance.md ("Time to first frame").
 */
export function hlsConfig(startAt: number, onExpired: () => void): Partial<Hls['config']> {
  const DefaultLoader = Hls.DefaultConfig.loader;
  // Every playlist and segment request goes through this loader: a 403 is an expired signature (the links live as long
  // as the video plus a margin); the page renews them and continues where the viewer was.
  class RenewingLoader extends DefaultLoader {
    override load(context: Parameters<InstanceType<typeof DefaultLoader>['load']>[0],
      config: Parameters<InstanceType<typeof DefaultLoader>['load']>[1],
      callbacks: Parameters<InstanceType<typeof DefaultLoader>['load']>[2]): void {
      super.load(context, config, {
        ...callbacks,
        onError: (error, ctx, details, stats) => {
          if (error.code === 403) onExpired();
          callbacks.onError(error, ctx, details, stats);
        },
      });
    }
  }
  return {
    loader: RenewingLoader,
    startPosition: startAt > 0 ? startAt : -1,
    capLevelToPlayerSize: true,
    testBandwidth: false,
    abrEwmaDefaultEstimate: savedBandwidth() ?? 1_000_000,
    startFragPrefetch: true,
    enableWorker: false,
    // Before play, one segment or two: enough for the first frame, without spending the page's first seconds
    // appending a buffer nobody may watch. Raised to BUFFER_WHILE_PLAYING once playback starts.
    maxBufferLength: 4,
    backBufferLength: 60,
  };
}

/** Mounts the player for one READY video into `container`. */
export function mountPlayer(container: HTMLElement, options: PlayerOptions): Player {
  const engine = chooseEngine(abilities(), options.playback);
  const budget = new RenewalBudget();
  let playback = options.playback;
  let renewing = false;
  let lastSaved = 0;
  let disposed = false;

  const resolve = (reference: string | null) => (reference ? new URL(reference, options.playbackUrl).toString() : null);

  const media = (engine === 'hls.js' || engine === 'native-hls'
    ? document.createElement('hls-video') : document.createElement('video')) as HlsVideo;
  media.setAttribute('slot', 'media');
  media.setAttribute('playsinline', '');
  media.setAttribute('preload', 'auto');
  media.setAttribute('aria-label', options.title);
  const thumbnails = h('track', { kind: 'metadata', label: 'thumbnails', default: true });
  media.appendChild(thumbnails);

  const poster = h('media-poster-image', { slot: 'poster' });
  const controller = h('media-controller', { class: 'player', 'data-engine': engine,
    'aria-label': `Video player: ${options.title}`, keyboardforwardseekoffset: 10, keyboardbackwardseekoffset: 10,
    defaultduration: options.durationSeconds ?? null },
  media,
  poster,
  h('media-loading-indicator', { slot: 'centered-chrome', noautohide: true }));
  /**
   * The controls, a part per task after the controller's: the bar, then each menu (every one is a few dozen custom
   * elements with shadow roots, and all at once would hold up input on a slow phone for a quarter of a second).
   */
  const parts: (() => HTMLElement | null)[] = [
    () => h('media-control-bar', null,
      h('media-play-button'),
      h('media-seek-backward-button', { seekoffset: 10 }),
      h('media-seek-forward-button', { seekoffset: 10 }),
      h('media-mute-button'),
      h('media-volume-range'),
      h('media-time-range'),
      h('media-time-display', { showduration: true, notoggle: true }),
      h('media-playback-rate-menu-button', { invoketarget: 'rate-menu' }),
      engine === 'hls.js' ? h('media-rendition-menu-button', { invoketarget: 'quality-menu' }) : null,
      h('media-pip-button'),
      h('media-fullscreen-button')),
    () => h('media-playback-rate-menu', { id: 'rate-menu', hidden: true, anchor: 'auto', rates: '0.5 0.75 1 1.25 1.5 2' }),
    () => (engine === 'hls.js' ? h('media-rendition-menu', { id: 'quality-menu', hidden: true, anchor: 'auto' }) : null),
  ];

  /** Points the player at an answer's URLs, starting (or continuing) at `position`. */
  const apply = (answer: PlaybackAnswer, position: number, play: boolean) => {
    playback = answer;
    const vtt = resolve(answer.storyboardVtt);
    if (vtt) thumbnails.setAttribute('src', vtt);
    if (answer.poster) poster.setAttribute('src', answer.poster);
    if (engine === 'hls.js') {
      media.config = hlsConfig(position, () => void renew());
    }
    const source = engine === 'mp4'
      ? pickMp4(answer.mp4, Math.max(360, container.clientHeight * (window.devicePixelRatio || 1)))?.url ?? null
      : resolve(answer.hls);
    if (!source) {
      options.onError('This video has nothing this browser can play.');
      return;
    }
    if (engine !== 'hls.js' && position > 0) {
      media.addEventListener('loadedmetadata', () => {
        media.currentTime = position;
      }, { once: true });
    }
    // A play pressed before the source was set (the controls appear a few tasks before it) is kept, not lost to the load.
    if (play || !media.paused) {
      media.addEventListener('canplay', () => void media.play().catch(() => undefined), { once: true });
    }
    media.setAttribute('src', source);
  };

  /** New signed URLs, the same position, playing if it was. */
  const renew = async () => {
    if (renewing || disposed) return;
    if (!budget.take()) {
      options.onError('The video keeps failing to load. Reload the page to try again.');
      return;
    }
    renewing = true;
    const position = media.currentTime;
    const wasPlaying = !media.paused;
    const rate = media.playbackRate; // a new source resets it to the default
    try {
      const fresh = await options.renew();
      if (disposed) return;
      media.addEventListener('loadedmetadata', () => {
        media.playbackRate = rate;
      }, { once: true });
      apply(fresh, position, wasPlaying);
    } catch {
      options.onError('The video\'s links expired and new ones could not be fetched. Reload the page to try again.');
    } finally {
      renewing = false;
    }
  };

  media.addEventListener('error', () => {
    // A progressive or native-HLS source whose signature has run out fails without a status: renew if it has.
    const expired = Date.parse(playback.expiresAt) - 5_000 <= Date.now();
    if (engine !== 'hls.js' && expired) {
      void renew();
    } else if (engine !== 'hls.js') {
      options.onError('This video could not be played in this browser.');
    }
  });

  const save = (closing: boolean) => {
    if (media.readyState === 0 || !(media.currentTime > 0)) return;
    lastSaved = Date.now();
    // The stream may run a few milliseconds past the duration the server knows; it refuses positions beyond it.
    const end = options.durationSeconds ?? (Number.isFinite(media.duration) ? media.duration : Number.POSITIVE_INFINITY);
    options.savePosition(Math.min(media.currentTime, end), closing);
  };
  media.addEventListener('timeupdate', () => {
    if (!media.paused && Date.now() - lastSaved >= SAVE_EVERY_MS) save(false);
  });
  media.addEventListener('pause', () => save(false));
  media.addEventListener('ended', () => save(false));
  const onHide = () => {
    if (document.visibilityState === 'hidden') save(true);
    rememberBandwidth();
  };
  const onPageHide = () => {
    save(true);
    rememberBandwidth();
  };
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onPageHide);

  const rememberBandwidth = () => {
    const estimate = media.api?.bandwidthEstimate;
    if (estimate && Number.isFinite(estimate)) {
      try {
        localStorage.setItem(BANDWIDTH_KEY, String(Math.round(estimate)));
      } catch {
        // storage refused (private mode): the next video starts from the default guess
      }
    }
  };

  media.addEventListener('playing', () => {
    if (media.api) media.api.config.maxBufferLength = BUFFER_WHILE_PLAYING;
  });

  container.appendChild(controller);
  // The controller, each part of the controls, then the source (hls.js starting), each in a task of its own
  // (Total Blocking Time, docs/performance.md).
  const build = (next: number) => setTimeout(() => {
    if (disposed) return;
    if (next < parts.length) {
      const part = parts[next]();
      if (part) controller.append(part);
      build(next + 1);
    } else {
      apply(playback, startPosition(playback.resumeAt), false);
    }
  }, 0);
  build(0);

  return {
    element: controller,
    media,
    engine,
    dispose: () => {
      if (disposed) return;
      save(true);
      rememberBandwidth();
      disposed = true;
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      media.removeAttribute('src');
      if (engine !== 'hls.js') media.load();
      controller.remove();
    },
  };
}
