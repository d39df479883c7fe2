/**
 * Mosaic's content types and components. The schemas live in the repository's top-level
 * `content-types/` folder, the one source of truth shared with docs and tests.
 */
import asset from '../../../content-types/asset/schema.json';
import chunk from '../../../content-types/chunk/schema.json';
import counter from '../../../content-types/counter/schema.json';
import event from '../../../content-types/event/schema.json';
import experimentStat from '../../../content-types/experiment-stat/schema.json';
import exposure from '../../../content-types/exposure/schema.json';
import candidate from '../../../content-types/components/candidate.json';
import slot from '../../../content-types/components/slot.json';
import persona from '../../../content-types/persona/schema.json';
import profile from '../../../content-types/profile/schema.json';
import segment from '../../../content-types/segment/schema.json';
import tag from '../../../content-types/tag/schema.json';

export default {
  chunk: { schema: chunk },
  persona: { schema: persona },
  segment: { schema: segment },
  tag: { schema: tag },
  asset: { schema: asset },
  profile: { schema: profile },
  event: { schema: event },
  counter: { schema: counter },
  'experiment-stat': { schema: experimentStat },
  exposure: { schema: exposure },
};

/** Components, keyed by their uid (`mosaic.slot`), registered by hand in `register`. */
export const components = { 'mosaic.slot': slot, 'mosaic.candidate': candidate } as const;

export const UIDS = {
  chunk: 'plugin::mosaic.chunk',
  persona: 'plugin::mosaic.persona',
  segment: 'plugin::mosaic.segment',
  tag: 'plugin::mosaic.tag',
  asset: 'plugin::mosaic.asset',
  profile: 'plugin::mosaic.profile',
  event: 'plugin::mosaic.event',
  counter: 'plugin::mosaic.counter',
  experimentStat: 'plugin::mosaic.experiment-stat',
  exposure: 'plugin::mosaic.exposure',
} as const;
