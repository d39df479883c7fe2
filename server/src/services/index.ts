import audience from './audience';
import cache from './cache';
import content from './content';
import delivery from './delivery';
import extensions from './extensions';
import profiles from './profiles';
import rateLimit from './rate-limit';
import redis from './redis';

export default {
  audience,
  cache,
  content,
  delivery,
  extensions,
  profiles,
  'rate-limit': rateLimit,
  redis,
};
