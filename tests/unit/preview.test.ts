import { differingSlots, readerContext } from '../../server/src/core/preview';

describe('the reader a preview simulates', () => {
  it('turns what the editor says into the context a real request would give', () => {
    const context = readerContext(
      {
        country: 'de',
        referrer: 'https://www.twitter.com/post/1',
        utm: { source: 'newsletter' },
        device: 'mobile',
        now: '2026-03-02T23:30:00Z',
        tz: 'Europe/Berlin',
        returning: true,
      },
      new Date('2026-03-02T23:30:00Z'),
      'developer'
    );
    expect(context).toEqual({
      persona: 'developer',
      geo: { country: 'DE' },
      referrer: { host: 'twitter.com', url: 'https://www.twitter.com/post/1' },
      utm: { source: 'newsletter' },
      device: { type: 'mobile' },
      // 23:30 UTC on a Monday is 00:30 on Tuesday in Berlin.
      time: { hour: 0, weekday: 2, date: '2026-03-03' },
      visitor: { known: true, visits: 2, new: false },
    });
  });

  it('is an anonymous reader at the given time when nothing is said', () => {
    expect(readerContext({}, new Date('2026-01-01T09:00:00Z'))).toEqual({
      time: { hour: 9, weekday: 4, date: '2026-01-01' },
    });
  });
});

describe('slots that differ between readers', () => {
  const answer = (slots: Record<string, string[]>) => ({
    slots: Object.entries(slots).map(([key, ids]) => ({
      key,
      chunks: ids.map((documentId) => ({ documentId })),
    })),
  });

  it('names the slots whose chosen chunks are not the same for all', () => {
    expect(
      differingSlots([
        answer({ hero: ['a'], features: ['x', 'y'], cta: ['c'] }),
        answer({ hero: ['b'], features: ['x', 'y'], cta: ['c'] }),
        answer({ hero: ['a'], features: ['y', 'x'], cta: ['c'] }),
      ])
    ).toEqual(['hero', 'features']);
    expect(differingSlots([answer({ hero: ['a'] })])).toEqual([]);
  });
});
