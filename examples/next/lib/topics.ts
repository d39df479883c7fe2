/**
 * The site's reading pages, each made of Mosaic chunks. Reading the developer pages raises the
 * visitor's affinity to the `developer` persona: the home page then speaks to developers.
 */
export const TOPICS: Record<string, { title: string; chunks: string[] }> = {
  api: { title: 'API reference', chunks: ['feature-api'] },
  quickstart: { title: 'Quickstart', chunks: ['hero-developer', 'cta-developer'] },
  reuse: { title: 'Write once, use everywhere', chunks: ['feature-reuse'] },
  campaigns: { title: 'Campaigns', chunks: ['hero-marketer', 'feature-campaigns'] },
};
