// The support feed's place in the change stream: new rows once each, late-committed lower ids too,
// nothing from before the first viewer.
import { describe, expect, it } from 'vitest';
import { EventCursor } from './event-cursor';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('EventCursor', () => {
  it('pushes each new row once and never one from before the baseline', () => {
    const cursor = new EventCursor(10, 5);
    expect(cursor.readAfter()).toBe(10);
    expect(cursor.take(rows(9, 10, 11, 12))).toEqual(rows(11, 12));
    expect(cursor.readAfter()).toBe(10);
    expect(cursor.take(rows(11, 12, 13))).toEqual(rows(13));
  });

  it('lets a lower id committed late through once, within the window', () => {
    const cursor = new EventCursor(0, 5);
    expect(cursor.take(rows(1, 2, 4))).toEqual(rows(1, 2, 4));
    // 3 committed after 4 was read: the next read still covers it.
    expect(cursor.take(rows(1, 2, 3, 4, 5))).toEqual(rows(3, 5));
    expect(cursor.take(rows(3, 4, 5))).toEqual([]);
    expect(cursor.take(rows(20))).toEqual(rows(20));
    expect(cursor.readAfter()).toBe(15);
  });
});
