import { confirmDialog } from '../dialog';
import { append, h, replace } from '../dom';
import { describe } from '../errors';
import { date, duration } from '../format';
import type { Page, PageContext } from '../router';
import type { Video, VideoPage } from '../types';

const POLL_MS = 3000;

/** The status of an uploader's video as a badge a person reads (and, while processing, a progress bar). */
export function statusBadge(video: Video): HTMLElement {
  switch (video.status) {
    case 'AWAITING_UPLOAD':
      return h('span', { class: 'badge waiting' }, 'Waiting for the file');
    case 'PROCESSING': {
      const percent = video.processingPercent ?? 0;
      return h('span', { class: 'badge processing' }, `Processing ${percent} %`,
        h('progress', { max: 100, value: percent, 'aria-label': `Processing ${video.title}` }));
    }
    case 'FAILED':
      return h('span', { class: 'badge failed' }, 'Failed');
    case 'READY':
      return h('span', { class: 'badge ready' }, 'Ready');
  }
}

/** "My videos": every video of the signed-in uploader, whatever its status, with edit and delete. */
export function render(context: PageContext): Page {
  const { main, session } = context;
  const list = h('ul', { class: 'my-videos', 'aria-label': 'Your videos' });
  const status = h('p', { role: 'status', class: 'list-status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more');
  const controller = new AbortController();
  let cursor: string | null = null;
  let loadedOnce = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const shown = new Map<string, HTMLLIElement>();

  const row = (video: Video): HTMLLIElement => {
    const item = h('li', { class: 'my-video', 'data-video-id': video.videoId });
    draw(item, video);
    return item;
  };

  const draw = (item: HTMLLIElement, video: Video) => {
    const title = video.status === 'READY'
      ? h('a', { href: `/watch/${encodeURIComponent(video.videoId)}` }, video.title)
      : h('span', null, video.title);
    const thumb = video.posterUrl
      ? h('img', { src: video.posterUrl, alt: '', width: 160, height: 90, loading: 'lazy', decoding: 'async' })
      : h('span', { class: 'thumb-placeholder small', 'aria-hidden': 'true' }, video.title.slice(0, 1).toUpperCase());
    const editButton = h('button', { type: 'button', 'aria-label': `Edit ${video.title}` }, 'Edit');
    const deleteButton = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${video.title}` }, 'Delete');
    editButton.addEventListener('click', () => edit(item, video));
    deleteButton.addEventListener('click', () => void remove(item, video));
    replace(item,
      h('div', { class: 'thumb small' }, thumb),
      h('div', { class: 'my-video-body' },
        h('h2', { class: 'my-video-title' }, title),
        h('p', { class: 'video-meta' }, statusBadge(video), ' ', date(video.createdAt),
          video.durationSeconds ? ` · ${duration(video.durationSeconds)}` : ''),
        video.status === 'FAILED' && video.failureReason
          ? h('p', { class: 'failure' }, h('strong', null, 'Why: '), video.failureReason) : null,
        video.description ? h('p', { class: 'description' }, video.description) : null,
        h('div', { class: 'actions' }, video.status === 'READY'
          ? h('a', { class: 'button', href: `/watch/${encodeURIComponent(video.videoId)}` }, 'Watch') : null,
        editButton, deleteButton)));
  };

  const edit = (item: HTMLLIElement, video: Video) => {
    const error = h('p', { class: 'form-error', role: 'alert' });
    const titleInput = h('input', { id: `title-${video.videoId}`, value: video.title, required: true, maxlength: 200 });
    const descriptionInput = h('textarea', { id: `description-${video.videoId}`, rows: 3, maxlength: 5000 });
    descriptionInput.value = video.description ?? '';
    const form = h('form', { class: 'edit-form', on: {
      submit: async (event: Event) => {
        event.preventDefault();
        try {
          const updated = await session.call<Video>(`/videos/${encodeURIComponent(video.videoId)}`, { method: 'PATCH',
            body: { title: titleInput.value, description: descriptionInput.value }, signal: controller.signal });
          draw(item, { ...video, ...updated, posterUrl: updated.posterUrl ?? video.posterUrl });
          item.querySelector<HTMLElement>('button')?.focus();
          replace(status, `Saved “${updated.title}”.`);
        } catch (failure) {
          replace(error, describe(failure));
        }
      },
    } },
    h('div', { class: 'field' }, h('label', { for: titleInput.id }, 'Title'), titleInput),
    h('div', { class: 'field' }, h('label', { for: descriptionInput.id }, 'Description'), descriptionInput),
    error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Save'),
      h('button', { type: 'button', on: { click: () => draw(item, video) } }, 'Cancel')));
    replace(item, form);
    titleInput.focus();
  };

  const remove = async (item: HTMLLIElement, video: Video) => {
    if (!(await confirmDialog(`Delete “${video.title}”?`, 'Delete',
      'The video and every rendition of it are removed for good.'))) return;
    try {
      // An upload still waiting for its file is cancelled (which also aborts its multipart upload).
      const path = video.status === 'AWAITING_UPLOAD' ? `/uploads/${encodeURIComponent(video.videoId)}`
        : `/videos/${encodeURIComponent(video.videoId)}`;
      await session.call(path, { method: 'DELETE', signal: controller.signal });
      item.remove();
      shown.delete(video.videoId);
      replace(status, `Deleted “${video.title}”.`);
      main.querySelector<HTMLElement>('h1')?.focus();
    } catch (failure) {
      replace(status, h('span', { class: 'form-error' }, describe(failure)));
    }
  };

  const load = async (fromStart: boolean) => {
    try {
      const query = new URLSearchParams({ owner: 'me', limit: '50' });
      if (!fromStart && cursor) query.set('cursor', cursor);
      const page = await session.call<VideoPage>(`/videos?${query}`, { signal: controller.signal });
      page.items.forEach((video, index) => {
        let item = shown.get(video.videoId);
        if (item) {
          if (!item.querySelector('form')) draw(item, video);
        } else {
          item = row(video);
          shown.set(video.videoId, item);
        }
        // A refresh keeps the newest first: a video uploaded meanwhile goes to the top.
        if (!fromStart) list.appendChild(item);
        else if (list.children[index] !== item) list.insertBefore(item, list.children[index] ?? null);
      });
      if (!fromStart || !loadedOnce) {
        cursor = page.nextCursor;
        more.hidden = !cursor;
        loadedOnce = true;
      }
      if (shown.size === 0) {
        replace(status, 'You have not uploaded anything yet. ', h('a', { href: '/upload' }, 'Upload a video'), '.');
      } else if (status.textContent?.startsWith('Loading') || status.textContent?.startsWith('You have')) {
        replace(status);
      }
      // Keep the badges moving while anything is on its way.
      const busy = page.items.some((v) => v.status === 'PROCESSING' || v.status === 'AWAITING_UPLOAD');
      clearTimeout(timer);
      if (busy && !controller.signal.aborted) timer = setTimeout(() => void load(true), POLL_MS);
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(status, h('span', { class: 'form-error' }, describe(error)));
    }
  };

  more.addEventListener('click', () => void load(false));
  replace(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'My videos'),
      h('a', { href: '/upload', class: 'button primary' }, 'Upload a video')),
    status, list, more);
  append(status, 'Loading your videos…');
  void load(true);
  return {
    dispose: () => {
      controller.abort();
      clearTimeout(timer);
    },
  };
}
