import { describe, expect, it } from 'vitest';
import { chooseEngine, pickMp4, RenewalBudget, startPosition } from './engine';

const mp4 = [
  { name: '720p', width: 1280, height: 720, bitrateKbps: 3000, url: 'https://m/720.mp4' },
  { name: '360p', width: 640, height: 360, bitrateKbps: 365, url: 'https://m/360.mp4' },
];

describe('chooseEngine', () => {
  it('takes hls.js wherever Media Source Extensions exist', () => {
    expect(chooseEngine({ mse: true, nativeHls: true }, { hls: 'hls/master.m3u8', mp4 })).toBe('hls.js');
  });
  it("falls back to the browser's own HLS, then to progressive MP4", () => {
    expect(chooseEngine({ mse: false, nativeHls: true }, { hls: 'hls/master.m3u8', mp4 })).toBe('native-hls');
    expect(chooseEngine({ mse: false, nativeHls: false }, { hls: 'hls/master.m3u8', mp4 })).toBe('mp4');
    expect(chooseEngine({ mse: true, nativeHls: false }, { hls: null, mp4 })).toBe('mp4');
    expect(chooseEngine({ mse: true, nativeHls: false }, { hls: null, mp4: [] })).toBe('none');
  });
});

describe('pickMp4', () => {
  it('takes the smallest MP4 tall enough for the player, else the tallest', () => {
    expect(pickMp4(mp4, 300)?.name).toBe('360p');
    expect(pickMp4(mp4, 500)?.name).toBe('720p');
    expect(pickMp4(mp4, 2000)?.name).toBe('720p');
    expect(pickMp4([], 300)).toBeNull();
  });
});

describe('startPosition and RenewalBudget', () => {
  it('starts at the saved position or the beginning', () => {
    expect(startPosition(42.5)).toBe(42.5);
    expect(startPosition(null)).toBe(0);
    expect(startPosition(Number.NaN)).toBe(0);
  });
  it('allows a few renewals a minute, then refuses', () => {
    let now = 0;
    const budget = new RenewalBudget(3, () => now);
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now = 61_000;
    expect(budget.take()).toBe(true);
  });
});
