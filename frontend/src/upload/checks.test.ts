import { describe, expect, it } from 'vitest';
import { acceptList, checkFile, DEFAULT_TYPES, extension, sniff } from './checks';

const ftyp = new Uint8Array([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
const ebml = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x01]);
const text = new TextEncoder().encode('hello, this is not a video\n');
const limits = { maxBytes: 100 * 1024 * 1024, types: DEFAULT_TYPES };

describe('sniff', () => {
  it('knows MP4/MOV and Matroska/WebM by their first bytes', () => {
    expect(sniff(ftyp).video).toBe(true);
    expect(sniff(ebml).video).toBe(true);
  });
  it('names what a renamed file really is', () => {
    expect(sniff(text)).toEqual({ video: false, looksLike: 'a text file' });
    expect(sniff(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toEqual({ video: false, looksLike: 'a PNG image' });
    expect(sniff(new Uint8Array([0x25, 0x50, 0x44, 0x46]))).toEqual({ video: false, looksLike: 'a PDF document' });
    expect(sniff(new Uint8Array([0x00, 0x01, 0x02, 0xff]))).toEqual({ video: false, looksLike: null });
  });
});

describe('checkFile', () => {
  it('accepts a video and gives the content type its extension means', () => {
    expect(checkFile({ name: 'Holiday.MOV', size: 1000, type: 'video/quicktime' }, ftyp, limits))
      .toEqual({ ok: true, contentType: 'video/quicktime' });
    expect(checkFile({ name: 'talk.webm', size: 1000, type: '' }, ebml, null)).toEqual({ ok: true, contentType: 'video/webm' });
  });
  it('refuses other extensions, naming the ones it takes', () => {
    const check = checkFile({ name: 'notes.txt', size: 10, type: 'text/plain' }, text, limits);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain('.mp4, .m4v, .mov, .mkv, .webm');
  });
  it('refuses a text file renamed .mp4 before sending a byte', () => {
    const check = checkFile({ name: 'fake.mp4', size: text.length, type: 'video/mp4' }, text, limits);
    expect(check).toEqual({ ok: false, reason: '“fake.mp4” is a text file, not a video, even though its name ends in .mp4.' });
  });
  it("refuses a file over the server's limit and an empty one", () => {
    const big = checkFile({ name: 'big.mp4', size: 150 * 1024 * 1024, type: 'video/mp4' }, ftyp, limits);
    expect(!big.ok && big.reason).toBe('“big.mp4” is 150 MiB; the largest upload Reel accepts is 100 MiB.');
    expect(checkFile({ name: 'empty.mp4', size: 0, type: 'video/mp4' }, new Uint8Array(), limits))
      .toEqual({ ok: false, reason: '“empty.mp4” is empty.' });
  });
  it('leaves the size to the server when it has not said its limit', () => {
    expect(checkFile({ name: 'big.mp4', size: 50 * 1024 ** 3, type: 'video/mp4' }, ftyp, null).ok).toBe(true);
  });
  it('reads extensions as the server does', () => {
    expect(extension('a.b.MP4')).toBe('mp4');
    expect(extension('.mp4')).toBeNull();
    expect(extension('mp4')).toBeNull();
    expect(acceptList({ 'video/mp4': ['mp4'] })).toBe('video/mp4,.mp4');
  });
});
