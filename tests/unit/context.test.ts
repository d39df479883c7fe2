import {
  buildContext,
  detectDevice,
  isValidTimeZone,
  referrerHost,
  timeIn,
} from '../../server/src/core/context';

const at = new Date('2026-03-02T23:30:00Z'); // a Monday, 23:30 in UTC

describe('the request context', () => {
  it('collects UTM parameters, referrer, device, configured geo headers and time', () => {
    const { context, headerSources } = buildContext(
      {
        query: { utm_source: 'twitter', utm_campaign: 'spring', tz: 'Europe/Berlin' },
        headers: {
          referer: 'https://www.Twitter.com/some/thread',
          'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15',
          'cf-ipcountry': 'de',
        },
        now: at,
      },
      { country: 'cf-ipcountry' }
    );
    expect(context).toEqual({
      utm: { source: 'twitter', campaign: 'spring' },
      referrer: { host: 'twitter.com', url: 'https://www.Twitter.com/some/thread' },
      device: { type: 'desktop' },
      geo: { country: 'DE' },
      // 23:30 UTC on Monday is 00:30 on Tuesday in Berlin.
      time: { hour: 0, weekday: 2, date: '2026-03-03' },
    });
    expect(headerSources).toEqual({
      referrer: ['Referer'],
      device: ['User-Agent'],
      geo: ['cf-ipcountry'],
    });
  });

  it('prefers the ref parameter to the Referer header, and then does not vary on it', () => {
    const { context, headerSources } = buildContext(
      { query: { ref: 'newsletter' }, headers: { referer: 'https://google.com' }, now: at },
      {}
    );
    expect(context.referrer).toEqual({ host: 'newsletter', url: 'newsletter' });
    expect(headerSources.referrer).toBeUndefined();
  });

  it('ignores location headers that are not configured as trusted', () => {
    const { context } = buildContext(
      { query: {}, headers: { 'cf-ipcountry': 'DE' }, now: at },
      { country: 'x-geo-country' }
    );
    expect(context.geo).toBeUndefined();
  });

  it('tells bots, tablets, phones and desktops apart', () => {
    expect(detectDevice('Googlebot/2.1 (+http://www.google.com/bot.html)')).toBe('bot');
    expect(detectDevice('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)')).toBe('tablet');
    expect(detectDevice('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36')).toBe(
      'mobile'
    );
    expect(detectDevice('Mozilla/5.0 (Linux; Android 14; SM-X710) Safari/537.36')).toBe('tablet');
    expect(detectDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120')).toBe('desktop');
    expect(detectDevice(undefined)).toBeUndefined();
  });

  it('normalises referrer hosts', () => {
    expect(referrerHost('https://www.LinkedIn.com/feed')).toBe('linkedin.com');
    expect(referrerHost('t.co/abc')).toBe('t.co');
    expect(referrerHost('  ')).toBeUndefined();
  });

  it('knows IANA zones from malformed ones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(timeIn(at, 'America/New_York')).toEqual({ hour: 18, weekday: 1, date: '2026-03-02' });
    expect(timeIn(at)).toEqual({ hour: 23, weekday: 1, date: '2026-03-02' });
  });
});
