import { bytes } from '../format';
import type { UploadLimits } from '../types';

/** What the server accepts when it has not said otherwise (media-function's UploadRules.TYPES). */
export const DEFAULT_TYPES: Record<string, string[]> = {
  'video/mp4': ['mp4', 'm4v'],
  'video/quicktime': ['mov'],
  'video/x-matroska': ['mkv'],
  'video/webm': ['webm'],
};

export type FileCheck = { ok: true; contentType: string } | { ok: false; reason: string };

export interface FileFacts {
  name: string;
  size: number;
  type: string;
}

/** The lower-case extension after the last dot, or null. */
export function extension(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? null : name.slice(dot + 1).toLowerCase();
}

/** The `accept` attribute for a file picker: the types and their extensions. */
export function acceptList(types: Record<string, string[]>): string {
  return [...Object.keys(types), ...Object.values(types).flat().map((e) => `.${e}`)].join(',');
}

/** What the first bytes of a file say it is: a video container, or what else it looks like. */
export function sniff(head: Uint8Array): { video: true } | { video: false; looksLike: string | null } {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.slice(from, to));
  // ISO base media (MP4, MOV, M4V): a box size, then a box type that a video file starts with.
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(ascii(4, 8))) {
    return { video: true };
  }
  // Matroska and WebM: the EBML magic number.
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return { video: true };
  }
  const starts = (...signature: number[]) => signature.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return { video: false, looksLike: 'a PNG image' };
  if (starts(0xff, 0xd8, 0xff)) return { video: false, looksLike: 'a JPEG image' };
  if (starts(0x47, 0x49, 0x46, 0x38)) return { video: false, looksLike: 'a GIF image' };
  if (starts(0x25, 0x50, 0x44, 0x46)) return { video: false, looksLike: 'a PDF document' };
  if (starts(0x50, 0x4b, 0x03, 0x04)) return { video: false, looksLike: 'a ZIP archive' };
  if (starts(0x49, 0x44, 0x33) || starts(0xff, 0xfb)) return { video: false, looksLike: 'an MP3 audio file' };
  if (head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80)) {
    return { video: false, looksLike: 'a text file' };
  }
  return { video: false, looksLike: null };
}

/**
 * Everything the page can tell about a file before sending a byte: its extension against the accepted types, its
 * size against the server's limit, and its first bytes against the containers Reel reads. The server checks again
 * (and the transcoder reads the whole file); this only spares the uploader a wasted upload.
 */
export function checkFile(file: FileFacts, head: Uint8Array, limits: UploadLimits | null): FileCheck {
  const types = limits?.types ?? DEFAULT_TYPES;
  const ext = extension(file.name);
  const all = Object.values(types).flat();
  const contentType = Object.keys(types).find((type) => ext !== null && types[type].includes(ext));
  if (!ext || !contentType) {
    return { ok: false, reason: `Reel takes ${all.map((e) => `.${e}`).join(', ')} files; “${file.name}” is not one of them.` };
  }
  if (file.size === 0) {
    return { ok: false, reason: `“${file.name}” is empty.` };
  }
  if (limits && file.size > limits.maxBytes) {
    return { ok: false, reason: `“${file.name}” is ${bytes(file.size)}; the largest upload Reel accepts is ${bytes(limits.maxBytes)}.` };
  }
  const sniffed = sniff(head);
  if (!sniffed.video) {
    return { ok: false, reason: sniffed.looksLike
      ? `“${file.name}” is ${sniffed.looksLike}, not a video, even though its name ends in .${ext}.`
      : `“${file.name}” does not look like a video: it does not start the way MP4, MOV, MKV or WebM files do.` };
  }
  return { ok: true, contentType };
}
