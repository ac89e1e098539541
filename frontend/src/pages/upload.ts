import { append, h, replace } from '../dom';
import { ApiError, describe } from '../errors';
import { bytes, speed, timeLeft } from '../format';
import { apiUrl } from '../http';
import type { Page, PageContext } from '../router';
import type { StartedUpload, UploadLimits, Video } from '../types';
import { acceptList, checkFile, DEFAULT_TYPES } from '../upload/checks';
import { PutError, Rate, sendParts, sendSingle } from '../upload/transfer';

const POLL_MS = 2000;

/** The upload page: pick or drop a file, checked here first; send it with progress; follow its processing. */
export function render(context: PageContext): Page {
  const { main, session } = context;
  const controller = new AbortController();
  let limits: UploadLimits | null = null;
  let file: File | null = null;
  let contentType = 'video/mp4';
  let sending: { videoId: string; abort: URL; abortController: AbortController } | null = null;
  let poll: ReturnType<typeof setTimeout> | undefined;

  const input = h('input', { type: 'file', id: 'file', class: 'visually-hidden', accept: acceptList(DEFAULT_TYPES),
    'aria-describedby': 'file-help file-status' });
  const fileStatus = h('p', { id: 'file-status', role: 'status' });
  const title = h('input', { id: 'title', name: 'title', required: true, maxlength: 200, autocomplete: 'off' });
  const description = h('textarea', { id: 'description', name: 'description', rows: 3, maxlength: 5000 });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');
  const drop = h('label', { for: 'file', class: 'drop-zone' },
    h('span', { class: 'drop-title' }, 'Choose a video'),
    h('span', { id: 'file-help', class: 'hint' }, 'or drop it here. MP4, MOV, MKV or WebM.'));
  const progress = h('section', { class: 'upload-progress', 'aria-label': 'Upload progress', hidden: true });

  const chooseFile = async (chosen: File | null | undefined) => {
    replace(error);
    file = null;
    if (!chosen) {
      replace(fileStatus);
      return;
    }
    const head = new Uint8Array(await chosen.slice(0, 64).arrayBuffer());
    const check = checkFile(chosen, head, limits);
    if (!check.ok) {
      replace(fileStatus, h('span', { class: 'form-error' }, check.reason));
      input.value = '';
      return;
    }
    file = chosen;
    contentType = check.contentType;
    replace(fileStatus, `${chosen.name}, ${bytes(chosen.size)}`);
    if (!title.value.trim()) title.value = chosen.name.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim().slice(0, 200);
  };

  input.addEventListener('change', () => void chooseFile(input.files?.[0]));
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    void chooseFile(event.dataTransfer?.files?.[0]);
  });

  const showProgress = (sent: number, total: number, rate: Rate) => {
    rate.add(sent);
    const percent = total ? Math.floor((sent / total) * 100) : 0;
    const bar = progress.querySelector('progress');
    if (bar) bar.value = percent;
    const line = progress.querySelector('.progress-line');
    if (line) {
      line.textContent = [`${bytes(sent)} of ${bytes(total)}`, speed(rate.bytesPerSecond()),
        sent < total ? timeLeft(rate.secondsLeft(total)) : ''].filter(Boolean).join(' · ');
    }
  };

  const cancel = async () => {
    if (!sending) return;
    const { abort, abortController } = sending;
    sending = null;
    abortController.abort();
    try {
      await session.call(abort, { method: 'DELETE' });
      replace(progress, h('p', { role: 'status' }, 'Upload cancelled. Nothing was kept.'));
    } catch (failure) {
      replace(progress, h('p', { class: 'form-error', role: 'alert' }, describe(failure)));
    }
    form.hidden = false;
    submit.disabled = false;
  };

  /** Follows processing until READY (a link to watch) or FAILED (the reason). */
  const follow = async (videoId: string) => {
    try {
      const video = await session.call<Video>(`/videos/${encodeURIComponent(videoId)}`, { signal: controller.signal });
      const statusLine = progress.querySelector('.processing') as HTMLElement;
      if (video.status === 'READY') {
        replace(statusLine, h('strong', null, 'Ready. '), h('a', { href: `/watch/${encodeURIComponent(videoId)}` },
          `Watch “${video.title}”`), '.');
        return;
      }
      if (video.status === 'FAILED') {
        replace(statusLine, h('strong', { class: 'form-error' }, 'Reel could not use this file. '), video.failureReason ?? '');
        return;
      }
      const percent = video.processingPercent ?? 0;
      replace(statusLine, video.status === 'PROCESSING' ? `Processing… ${percent} %` : 'Waiting for processing to start…',
        h('progress', { max: 100, value: percent, 'aria-label': 'Processing' }));
      poll = setTimeout(() => void follow(videoId), POLL_MS);
    } catch (failure) {
      if (controller.signal.aborted) return;
      if (failure instanceof ApiError && failure.status >= 500) {
        poll = setTimeout(() => void follow(videoId), POLL_MS * 2);
        return;
      }
      replace(progress.querySelector('.processing') as HTMLElement, h('span', { class: 'form-error' }, describe(failure)));
    }
  };

  const start = async () => {
    if (!file) {
      replace(error, 'Choose a video file first.');
      input.focus();
      return;
    }
    if (!title.value.trim()) {
      replace(error, 'Give the video a title.');
      title.focus();
      return;
    }
    submit.disabled = true;
    replace(error);
    let started: StartedUpload;
    try {
      started = await session.call<StartedUpload>('/uploads', { method: 'POST', body: {
        title: title.value.trim(), description: description.value || null, fileName: file.name,
        contentType,
        size: file.size,
      } });
    } catch (failure) {
      replace(error, describe(failure));
      submit.disabled = false;
      return;
    }
    const uploadsUrl = apiUrl('/uploads');
    const abortUrl = new URL(started.multipart?.abort ?? `uploads/${encodeURIComponent(started.videoId)}`, uploadsUrl);
    const abortController = new AbortController();
    sending = { videoId: started.videoId, abort: abortUrl, abortController };
    const rate = new Rate();
    const cancelButton = h('button', { type: 'button', class: 'danger' }, 'Cancel upload');
    cancelButton.addEventListener('click', () => void cancel());
    form.hidden = true;
    progress.hidden = false;
    replace(progress,
      h('h2', null, `Sending “${title.value.trim()}”`),
      h('progress', { max: 100, value: 0, 'aria-label': 'Sent' }),
      h('p', { class: 'progress-line', 'aria-live': 'off' }, `0 bytes of ${bytes(file.size)}`),
      cancelButton);
    cancelButton.focus();
    try {
      const options = { signal: abortController.signal, onProgress: (sent: number, total: number) => showProgress(sent, total, rate) };
      if (started.multipart) {
        const parts = await sendParts(file, started.multipart, { ...options, concurrency: 3 });
        await session.call(new URL(started.multipart.complete, uploadsUrl), { method: 'POST',
          body: { uploadId: started.multipart.uploadId, parts } });
      } else if (started.upload) {
        await sendSingle(file, started.upload, options);
      }
    } catch (failure) {
      if (abortController.signal.aborted) return; // cancelled: cancel() says so
      const reason = failure instanceof PutError ? failure.message : describe(failure);
      await cancel();
      replace(progress, h('p', { class: 'form-error', role: 'alert' }, `The upload failed: ${reason}`));
      return;
    }
    sending = null;
    cancelButton.remove();
    append(progress, h('p', { class: 'processing', role: 'status' }, 'Sent. Waiting for processing to start…'));
    void follow(started.videoId);
  };

  const form = h('form', { class: 'card upload-form', novalidate: true, on: {
    submit: (event: Event) => {
      event.preventDefault();
      void start();
    },
  } },
  h('div', { class: 'field' }, input, drop, fileStatus),
  h('div', { class: 'field' }, h('label', { for: 'title' }, 'Title'), title),
  h('div', { class: 'field' }, h('label', { for: 'description' }, 'Description ', h('span', { class: 'hint' }, '(optional)')),
    description),
  error,
  submit);

  // Leaving mid-upload: ask first; if the viewer goes anyway, abort so no half-open upload is left behind.
  const onPageHide = () => {
    if (!sending) return;
    const token = session.currentToken();
    void fetch(sending.abort, { method: 'DELETE', keepalive: true, headers: token ? { Authorization: `Bearer ${token}` } : {} })
      .catch(() => undefined);
  };
  window.addEventListener('pagehide', onPageHide);

  replace(main, h('h1', { tabindex: '-1' }, 'Upload a video'), form, progress);
  void session.call<UploadLimits>('/uploads/limits', { signal: controller.signal }).then((answer) => {
    limits = answer;
    input.setAttribute('accept', acceptList(answer.types));
    replace(drop.querySelector('#file-help') as HTMLElement, `or drop it here. ${Object.values(answer.types).flat()
      .map((e) => e.toUpperCase()).join(', ')}, up to ${bytes(answer.maxBytes)}.`);
  }, () => {
    // Older APIs without limits: the server still checks type and size when the upload starts.
  });

  return {
    canLeave: () => !sending || window.confirm('A video is still being sent. Leave and cancel the upload?'),
    dispose: () => {
      controller.abort();
      clearTimeout(poll);
      window.removeEventListener('pagehide', onPageHide);
      if (sending) {
        const { abort, abortController } = sending;
        sending = null;
        abortController.abort();
        void session.call(abort, { method: 'DELETE', keepalive: true }).catch(() => undefined);
      }
    },
  };
}
