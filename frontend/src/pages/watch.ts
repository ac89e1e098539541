import { h, replace } from '../dom';
import { ApiError, describe } from '../errors';
import { duration } from '../format';
import { apiUrl, request } from '../http';
import { loadPlayer } from '../player/load';
import type { Player } from '../player/player';
import type { Page, PageContext } from '../router';
import type { PlaybackAnswer, Video } from '../types';

const SHORTCUTS: [string, string][] = [
  ['Space or K', 'Play or pause'],
  ['J or ←', 'Back 10 seconds'],
  ['L or →', 'Forward 10 seconds'],
  ['↑ / ↓', 'Volume up / down'],
  ['M', 'Mute or unmute'],
  ['F', 'Full screen'],
  ['C', 'Captions on or off'],
  ['P', 'Picture-in-picture'],
  ['< / >', 'Slower / faster'],
  ['?', 'These shortcuts'],
];
/** Keys the player answers to; pressed anywhere on the page that is not a form field, they go to the player. */
const PLAYER_KEYS = new Set([' ', 'k', 'j', 'l', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'm', 'f', 'c', 'p', '<', '>']);

function shortcutsDialog(): HTMLDialogElement {
  const dialog = h('dialog', { class: 'card shortcuts', 'aria-labelledby': 'shortcuts-title' },
    h('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'),
    h('table', null, h('tbody', null, ...SHORTCUTS.map(([keys, action]) =>
      h('tr', null, h('th', { scope: 'row' }, h('kbd', null, keys)), h('td', null, action))))),
    h('form', { method: 'dialog' }, h('button', { type: 'submit', class: 'primary' }, 'Close')));
  return dialog;
}

/** The watch page: the player, the title and description, resume, the shortcuts. */
export async function render(context: PageContext): Promise<Page> {
  const { main, session, params } = context;
  const id = params.id;
  const path = `/videos/${encodeURIComponent(id)}`;
  const stage = h('div', { class: 'player-stage' });
  const message = h('p', { class: 'form-error', role: 'alert' });
  replace(main, h('div', { class: 'watch' }, h('div', { class: 'player-stage loading' }),
    h('h1', { tabindex: '-1', class: 'watch-title' }, 'Loading…')));

  let video: Video;
  let playback: PlaybackAnswer;
  try {
    [video, playback] = await Promise.all([session.call<Video>(path), session.call<PlaybackAnswer>(`${path}/playback`)]);
  } catch (error) {
    document.title = 'Cannot play · Reel';
    const sentence = error instanceof ApiError && error.status === 404
      ? 'This video does not exist, or it was removed.'
      : error instanceof ApiError && error.status === 409 ? error.message : describe(error);
    replace(main, h('h1', { tabindex: '-1' }, 'This video cannot be played'), h('p', { role: 'alert' }, sentence),
      h('p', null, h('a', { href: '/' }, 'Back to the catalogue')));
    return {};
  }
  document.title = `${video.title} · Reel`;
  if (video.width && video.height) {
    stage.style.setProperty('--aspect', `${video.width} / ${video.height}`);
  }

  const savePosition = (seconds: number, closing: boolean) => {
    const body = { positionSeconds: Math.round(seconds * 1000) / 1000 };
    const saving = closing
      ? request(`${path}/progress`, { method: 'PUT', body, token: session.currentToken(), keepalive: true })
      : session.call(`${path}/progress`, { method: 'PUT', body });
    saving.catch(() => undefined); // a lost position is not worth interrupting the film for
  };

  let player: Player | null = null;
  const resume = playback.resumeAt
    ? h('p', { class: 'resume', role: 'status' }, `Resuming at ${duration(playback.resumeAt)}. `,
      h('button', { type: 'button', class: 'link', on: { click: (event: Event) => {
        if (player) player.media.currentTime = 0;
        (event.target as HTMLElement).closest('.resume')?.remove();
        player?.element.focus();
      } } }, 'Start from the beginning'))
    : null;

  const dialog = shortcutsDialog();
  const help = h('button', { type: 'button', class: 'link', 'aria-haspopup': 'dialog' }, 'Keyboard shortcuts');
  help.addEventListener('click', () => dialog.showModal());

  replace(main, h('div', { class: 'watch' },
    stage,
    message,
    h('div', { class: 'watch-head' },
      h('h1', { tabindex: '-1', class: 'watch-title' }, video.title),
      help),
    resume,
    h('p', { class: 'video-meta' }, video.durationSeconds ? duration(video.durationSeconds) : null),
    video.description ? h('p', { class: 'description' }, video.description) : null,
    dialog));

  // The poster first, then the player's code (175 KB): on a slow connection the two would share it, and the poster,
  // the page's largest paint, would wait for the player (Lighthouse's LCP on the watch page, docs/performance.md).
  if (playback.poster) {
    const poster = h('img', { class: 'stage-poster', src: playback.poster, alt: '', fetchpriority: 'high' }) as HTMLImageElement;
    stage.append(poster);
    await Promise.race([poster.decode().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_500))]);
  }
  let mountPlayer: Awaited<ReturnType<typeof loadPlayer>>['mountPlayer'];
  try {
    ({ mountPlayer } = await loadPlayer());
  } catch {
    replace(message, 'The player could not be loaded. Check your connection and reload the page.');
    return {};
  }
  if (!stage.isConnected) return {}; // the viewer left meanwhile
  stage.querySelector('.stage-poster')?.remove();
  player = mountPlayer(stage, {
    playback,
    playbackUrl: apiUrl(`${path}/playback`),
    title: video.title,
    durationSeconds: video.durationSeconds,
    renew: () => session.call<PlaybackAnswer>(`${path}/playback`),
    savePosition,
    onError: (sentence) => replace(message, sentence),
  });


  // Page-wide shortcuts: keys pressed outside any field reach the player, as on the big video sites.
  const forward = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    if (event.key === '?' && event.type === 'keyup' && (!target || !target.closest('input, textarea, select, media-controller'))) {
      dialog.showModal();
      return;
    }
    if (!player || !PLAYER_KEYS.has(event.key) || !target || target.closest('input, textarea, select, button, a, media-controller, dialog')) return;
    event.preventDefault();
    player.element.dispatchEvent(new KeyboardEvent(event.type, { key: event.key, bubbles: false, shiftKey: event.shiftKey }));
  };
  document.addEventListener('keydown', forward);
  document.addEventListener('keyup', forward);
  return {
    dispose: () => {
      document.removeEventListener('keydown', forward);
      document.removeEventListener('keyup', forward);
      player?.dispose();
    },
  };
}
