import { describe, expect, it } from 'vitest';
import { codePoints, daysHoursMinutesSeconds, filled, formatDuration, formatTimestamp } from '../../../src/output/profile/time-format.js';

describe('profile_tasks text shapes', () => {
  it('formats durations as h:mm:ss.mmm, truncating', () => {
    expect(formatDuration(0.014)).toBe('0:00:00.014');
    expect(formatDuration(2.2299)).toBe('0:00:02.229');
    expect(formatDuration(61.5)).toBe('0:01:01.500');
    expect(formatDuration(3600 * 26 + 62.0019)).toBe('26:01:02.001');
  });

  it('fills a message with stars to 79 columns plus a space', () => {
    const line = filled('Friday 27 November 2026  07:36:14 +0000 (0:00:00.014)       0:00:00.014');
    expect(line).toBe('Friday 27 November 2026  07:36:14 +0000 (0:00:00.014)       0:00:00.014 ******* ');
    expect(filled('', '=')).toBe(`${'='.repeat(79)} `);
    expect(filled('x'.repeat(100))).toBe(`${'x'.repeat(100)} *** `);
  });

  it('writes the C-locale timestamp with the zone offset', () => {
    const previous = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      expect(formatTimestamp(new Date(Date.UTC(2026, 10, 27, 7, 36, 14)))).toBe('Friday 27 November 2026  07:36:14 +0000');
      process.env.TZ = 'America/New_York';
      expect(formatTimestamp(new Date(Date.UTC(2026, 0, 4, 3, 5, 9)))).toBe('Saturday 03 January 2026  22:05:09 -0500');
      process.env.TZ = 'Asia/Kolkata';
      expect(formatTimestamp(new Date(Date.UTC(2026, 0, 4, 3, 5, 9)))).toBe('Sunday 04 January 2026  08:35:09 +0530');
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('splits a run time as the timer callback does', () => {
    expect(daysHoursMinutesSeconds(4_381)).toEqual([0, 0, 0, 4]);
    expect(daysHoursMinutesSeconds((86_400 + 3_600 * 2 + 60 * 3 + 4) * 1000 + 999)).toEqual([1, 2, 3, 4]);
  });

  it('counts code points as Python len() does', () => {
    expect(codePoints('héllo 🎉')).toBe(7);
  });
});
