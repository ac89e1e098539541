import { h, replace, append } from '../dom';
import { describe } from '../errors';
import { date, duration, spokenDuration } from '../format';
import type { Page, PageContext } from '../router';
import type { Video, VideoPage } from '../types';

const PAGE_SIZE = 24;

/** One card of the grid: the poster (or a placeholder), the duration over it, the title; the whole card is the link. */
export function videoCard(video: Video, eager: boolean): HTMLLIElement {
  const thumb = h('div', { class: 'thumb' });
  if (video.posterUrl) {
    append(thumb, h('img', { src: video.posterUrl, alt: '', width: 320, height: 180, decoding: 'async',
      loading: eager ? 'eager' : 'lazy', fetchpriority: eager ? 'high' : null }));
  } else {
    append(thumb, h('span', { class: 'thumb-placeholder', 'aria-hidden': 'true' }, video.title.slice(0, 1).toUpperCase()));
  }
  if (video.durationSeconds) {
    append(thumb, h('span', { class: 'duration', 'aria-hidden': 'true' }, duration(video.durationSeconds)));
  }
  return h('li', { class: 'video-card' },
    h('a', { href: `/watch/${encodeURIComponent(video.videoId)}`, class: 'video-link' },
      thumb,
      h('span', { class: 'video-title' }, video.title),
      video.durationSeconds ? h('span', { class: 'visually-hidden' }, `, ${spokenDuration(video.durationSeconds)}`) : null),
    h('p', { class: 'video-meta' }, date(video.createdAt)));
}

/** The catalogue: READY videos, newest first, a page at a time ("Show more", or on its own as the end comes into view). */
export function render(context: PageContext): Page {
  const { main, session } = context;
  const grid = h('ul', { class: 'video-grid', 'aria-label': 'Videos' });
  const status = h('p', { role: 'status', class: 'list-status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more videos');
  let cursor: string | null = null;
  let loading = false;
  let count = 0;
  const controller = new AbortController();

  const load = async () => {
    if (loading) return;
    loading = true;
    more.disabled = true;
    replace(status, count ? 'Loading more videos…' : 'Loading videos…');
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor) query.set('cursor', cursor);
      const page = await session.call<VideoPage>(`/videos?${query}`, { signal: controller.signal });
      for (const video of page.items) {
        grid.appendChild(videoCard(video, count < 4));
        count++;
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (count === 0) {
        replace(status, h('span', { class: 'empty' }, 'No videos yet.'),
          session.can('videos:upload') ? h('span', null, ' ', h('a', { href: '/upload' }, 'Upload the first one'), '.') : null);
      } else {
        replace(status, page.items.length && count > page.items.length ? `${count} videos shown.` : '');
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(status, h('span', { class: 'form-error' }, describe(error)), ' ',
        h('button', { type: 'button', on: { click: () => void load() } }, 'Try again'));
    } finally {
      loading = false;
      more.disabled = false;
    }
  };

  more.addEventListener('click', () => void load());
  // Infinite scroll for those who scroll; the button stays for keyboards and screen readers.
  const observer = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && cursor && !loading) void load();
  }, { rootMargin: '400px' }) : null;
  observer?.observe(more);

  replace(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Browse'),
      session.can('videos:upload') ? h('a', { href: '/upload', class: 'button primary' }, 'Upload a video') : null),
    grid, status, more);
  void load();
  return {
    dispose: () => {
      controller.abort();
      observer?.disconnect();
    },
  };
}
