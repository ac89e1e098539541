import { describe, expect, it } from 'vitest';
import { bytes, duration, speed, spokenDuration, timeLeft } from './format';

describe('duration', () => {
  it('reads as a player shows it', () => {
    expect(duration(0)).toBe('0:00');
    expect(duration(9.9)).toBe('0:09');
    expect(duration(75.4)).toBe('1:15');
    expect(duration(3725)).toBe('1:02:05');
  });
  it('is empty for what is not a duration', () => {
    expect(duration(null)).toBe('');
    expect(duration(Number.NaN)).toBe('');
    expect(duration(-1)).toBe('');
  });
  it('is spoken in words for screen readers', () => {
    expect(spokenDuration(75)).toBe('1 minute 15 seconds');
    expect(spokenDuration(3601)).toBe('1 hour 1 second');
    expect(spokenDuration(0)).toBe('0 seconds');
  });
});

describe('bytes', () => {
  it('uses binary units and drops a useless .0', () => {
    expect(bytes(1)).toBe('1 byte');
    expect(bytes(1023)).toBe('1023 bytes');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 ** 3)).toBe('5 GiB');
    expect(bytes(200 * 1024 ** 2)).toBe('200 MiB');
  });
  it('says speed per second', () => {
    expect(speed(2.5 * 1024 * 1024)).toBe('2.5 MiB/s');
    expect(speed(0)).toBe('');
  });
});

describe('timeLeft', () => {
  it('rounds to what a person wants to know', () => {
    expect(timeLeft(3)).toBe('a few seconds left');
    expect(timeLeft(42)).toBe('about 40 seconds left');
    expect(timeLeft(125)).toBe('about 2 minutes left');
    expect(timeLeft(3 * 3600 + 600)).toBe('about 3 hours 10 minutes left');
    expect(timeLeft(Number.POSITIVE_INFINITY)).toBe('');
  });
});
