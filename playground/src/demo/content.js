/**
 * The demo's content: a SaaS home page and a welcome email assembled from reusable chunks, three
 * personas, topic tags and segments over referrer/UTM, country, device and returning visits.
 */

const text = (value, marks = {}) => ({ type: 'text', text: value, ...marks });
const p = (...children) => ({
  type: 'paragraph',
  children: children.map((c) => (typeof c === 'string' ? text(c) : c)),
});
const h = (level, value) => ({ type: 'heading', level, children: [text(value)] });
const link = (url, value) => ({ type: 'link', url, children: [text(value)] });
const list = (...items) => ({
  type: 'list',
  format: 'unordered',
  children: items.map((item) => ({ type: 'list-item', children: [text(item)] })),
});

const personas = [
  {
    slug: 'developer',
    name: 'Developer',
    description: 'Builds the product; wants APIs, docs and code.',
  },
  {
    slug: 'marketer',
    name: 'Marketer',
    description: 'Runs campaigns; wants reach, speed and results.',
  },
  {
    slug: 'executive',
    name: 'Executive',
    description: 'Owns the budget; wants ROI, risk and scale.',
  },
];

const tags = [
  { slug: 'api', name: 'API' },
  { slug: 'campaigns', name: 'Campaigns' },
  { slug: 'roi', name: 'ROI' },
  { slug: 'security', name: 'Security' },
  { slug: 'onboarding', name: 'Onboarding' },
];

const segments = [
  {
    slug: 'from-twitter',
    name: 'Visitors from Twitter',
    description: 'Came from a Twitter/X link or a campaign tagged utm_source=twitter.',
    priority: 20,
    rule: {
      $or: [
        { utm: { source: { $eqi: 'twitter' } } },
        { referrer: { host: { $in: ['twitter.com', 't.co', 'x.com'] } } },
      ],
    },
  },
  {
    slug: 'dach-visitors',
    name: 'Visitors from Germany, Austria and Switzerland',
    description: 'Located by the CDN country header.',
    priority: 10,
    rule: { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
  },
  {
    slug: 'mobile-visitors',
    name: 'Mobile visitors',
    priority: 5,
    rule: { device: { type: { $eq: 'mobile' } } },
  },
  {
    slug: 'returning-visitors',
    name: 'Returning visitors',
    description: 'Seen at least twice (visitor profiles count the visits).',
    priority: 5,
    rule: { visitor: { visits: { $gte: 2 } } },
  },
];

/** Chunks by slug; `fr` adds a French version of the chunk. */
const chunks = [
  {
    slug: 'hero-developer',
    title: 'Hero for developers',
    personas: ['developer'],
    tags: ['api'],
    body: [
      h(1, 'Ship personalized pages with one API call'),
      p('Typed REST and blocks JSON, rendered by ', text('your', { italic: true }), ' frontend.'),
    ],
  },
  {
    slug: 'hero-marketer',
    title: 'Hero for marketers',
    personas: ['marketer'],
    tags: ['campaigns'],
    body: [
      h(1, 'Launch a campaign page for every audience, today'),
      p('Write once, tag by persona and segment, and let every visitor see their version.'),
    ],
  },
  {
    slug: 'hero-executive',
    title: 'Hero for executives',
    personas: ['executive'],
    tags: ['roi'],
    body: [
      h(1, 'More conversions from the content you already have'),
      p('Teams using Mosaic reuse ', text('70%', { bold: true }), ' of what they write.'),
    ],
  },
  {
    slug: 'hero-twitter',
    title: 'Hero for visitors from Twitter',
    segments: ['from-twitter'],
    body: [
      h(1, 'Saw us on Twitter? Welcome!'),
      p('Here is the thread everyone is talking about, in one page.'),
    ],
  },
  {
    slug: 'hero-dach',
    title: 'Hero for DACH visitors',
    segments: ['dach-visitors'],
    body: [
      h(1, 'Personalization, hosted in Frankfurt'),
      p('GDPR-ready by design, with consent built in.'),
    ],
  },
  {
    slug: 'hero-default',
    title: 'Hero (default)',
    body: [
      h(1, 'The right content for every reader'),
      p('Mosaic assembles your pages from reusable chunks, personalized for each visitor.'),
    ],
    fr: {
      title: 'Accroche (par défaut)',
      body: [
        h(1, 'Le bon contenu pour chaque lecteur'),
        p('Mosaic assemble vos pages à partir de fragments réutilisables, pour chaque visiteur.'),
      ],
    },
  },
  {
    slug: 'feature-api',
    title: 'Feature: delivery API',
    personas: ['developer'],
    tags: ['api'],
    body: [
      h(2, 'A delivery API you will enjoy'),
      p(
        'JSON, HTML, Markdown or text from the same chunk. See the ',
        link('/docs/api', 'API reference'),
        '.'
      ),
    ],
  },
  {
    slug: 'feature-campaigns',
    title: 'Feature: campaign segments',
    personas: ['marketer'],
    tags: ['campaigns'],
    body: [
      h(2, 'Segments without SQL'),
      p('Target by UTM campaign, referrer, country or device in a few clicks.'),
    ],
  },
  {
    slug: 'feature-roi',
    title: 'Feature: measured results',
    personas: ['executive'],
    tags: ['roi'],
    body: [
      h(2, 'Every variant, measured'),
      p('Impressions and conversions per audience, without a data team.'),
    ],
  },
  {
    slug: 'feature-reuse',
    title: 'Feature: write once',
    tags: ['onboarding'],
    // Fields the playground adds to chunks (src/extensions/mosaic): an image and a button.
    icon: { file: 'favicon.png', alternativeText: 'Mosaic logo' },
    cta: { label: 'See how reuse works', url: '/docs/reuse' },
    seeAlso: ['feature-api'],
    body: [
      h(2, 'Write once, use everywhere'),
      list('Web pages', 'Emails', 'Landing pages and apps'),
    ],
  },
  {
    slug: 'feature-mobile',
    title: 'Feature: mobile first',
    segments: ['mobile-visitors'],
    body: [h(2, 'Made for the phone in your hand'), p('Short, fast chunks for small screens.')],
  },
  {
    slug: 'feature-security',
    title: 'Feature: privacy',
    tags: ['security'],
    body: [
      h(2, 'Privacy built in'),
      p('No IP addresses stored. Consent first. Export and erase on request.'),
    ],
  },
  {
    slug: 'proof-returning',
    title: 'Proof for returning visitors',
    segments: ['returning-visitors'],
    body: [
      p('Welcome back! Pick up where you left off: ', link('/pricing', 'compare the plans'), '.'),
    ],
  },
  {
    slug: 'proof-default',
    title: 'Proof (default)',
    body: [
      {
        type: 'quote',
        children: [
          text('We cut our landing page work by two thirds. — Dana, Head of Growth at Acme'),
        ],
      },
    ],
  },
  {
    slug: 'cta-developer',
    title: 'CTA for developers',
    personas: ['developer'],
    body: [
      p(
        link('/docs/quickstart', 'Read the quickstart'),
        ' and resolve your first asset in 5 minutes.'
      ),
    ],
  },
  {
    slug: 'cta-marketer',
    title: 'CTA for marketers',
    personas: ['marketer'],
    body: [p(link('/demo', 'Book a campaign demo'), ' and see your first segment live.')],
  },
  {
    slug: 'cta-executive',
    title: 'CTA for executives',
    personas: ['executive'],
    body: [p(link('/roi', 'Get the ROI report'), ' for teams of your size.')],
  },
  {
    slug: 'cta-twitter',
    title: 'CTA for visitors from Twitter',
    segments: ['from-twitter'],
    body: [p(link('/signup?plan=twitter', 'Claim the Twitter-only trial'), ': 60 days free.')],
  },
  {
    slug: 'cta-dach',
    title: 'CTA for DACH visitors',
    segments: ['dach-visitors'],
    body: [p(link('/de/kontakt', 'Sprechen Sie mit unserem Team in Berlin'), '.')],
  },
  {
    slug: 'cta-default',
    title: 'CTA (default)',
    body: [p(link('/signup', 'Start your free trial'), ' — no credit card needed.')],
    fr: {
      title: 'Appel à l’action (par défaut)',
      body: [p(link('/signup', 'Essai gratuit'), ' — sans carte bancaire.')],
    },
  },
  {
    slug: 'email-greeting',
    title: 'Email greeting',
    tags: ['onboarding'],
    body: [p('Hi {{traits.firstName|there}},')],
  },
  {
    slug: 'email-intro-developer',
    title: 'Email intro for developers',
    personas: ['developer'],
    body: [p('Your API token is waiting in the settings. Your first resolve is one curl away.')],
  },
  {
    slug: 'email-intro-default',
    title: 'Email intro (default)',
    body: [p('Thanks for joining Mosaic. Here is how to get the most out of your first week.')],
  },
  {
    slug: 'email-steps',
    title: 'Email next steps',
    tags: ['onboarding'],
    body: [list('Write your first chunk', 'Tag it with a persona', 'Assemble your first page')],
  },
  {
    slug: 'offer-trial',
    title: 'Offer: free trial',
    body: [p('Start a 14-day free trial: every feature, no credit card.')],
  },
  {
    slug: 'offer-demo',
    title: 'Offer: guided demo',
    body: [p('Book a 20-minute guided demo and see your own pages assembled.')],
  },
  {
    slug: 'signature',
    title: 'Company signature',
    body: [p('— The Mosaic team · ', link('https://mosaic.example', 'mosaic.example'))],
  },
];

const c = (...slugs) => slugs.map((slug) => ({ chunk: slug }));

/** Assets in dependency order (nested assets first). */
const assets = [
  {
    slug: 'company-footer',
    title: 'Company footer',
    kind: 'fragment',
    slots: [{ key: 'signature', mode: 'first', candidates: c('signature') }],
  },
  {
    slug: 'home',
    title: 'Home page',
    kind: 'page',
    // A field the playground adds to assets (src/extensions/mosaic).
    summary: 'Personalized pages from reusable chunks, for every reader.',
    slots: [
      {
        key: 'hero',
        mode: 'first',
        candidates: c(
          'hero-developer',
          'hero-marketer',
          'hero-executive',
          'hero-twitter',
          'hero-dach',
          'hero-default'
        ),
      },
      {
        key: 'features',
        mode: 'all',
        limit: 4,
        candidates: c(
          'feature-api',
          'feature-campaigns',
          'feature-roi',
          'feature-mobile',
          'feature-reuse',
          'feature-security'
        ),
      },
      { key: 'proof', mode: 'first', candidates: c('proof-returning', 'proof-default') },
      {
        key: 'cta',
        mode: 'first',
        candidates: c(
          'cta-developer',
          'cta-marketer',
          'cta-executive',
          'cta-twitter',
          'cta-dach',
          'cta-default'
        ),
      },
      // A running experiment: half the visitors with an id see each offer (see seed.js for traffic).
      {
        key: 'offer',
        mode: 'experiment',
        holdout: 10,
        candidates: [
          { chunk: 'offer-trial', weight: 1 },
          { chunk: 'offer-demo', weight: 1 },
        ],
      },
      { key: 'footer', mode: 'first', candidates: [{ asset: 'company-footer' }] },
    ],
  },
  {
    slug: 'welcome-email',
    title: 'Welcome email',
    kind: 'email',
    slots: [
      { key: 'greeting', mode: 'first', candidates: c('email-greeting') },
      {
        key: 'intro',
        mode: 'first',
        candidates: c('email-intro-developer', 'email-intro-default'),
      },
      { key: 'next-steps', mode: 'first', candidates: c('email-steps') },
      { key: 'signature', mode: 'first', candidates: [{ asset: 'company-footer' }] },
    ],
  },
];

module.exports = { personas, tags, segments, chunks, assets };
