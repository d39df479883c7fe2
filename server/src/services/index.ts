import audience from './audience';
import cache from './cache';
import content from './content';
import delivery from './delivery';
import experiments from './experiments';
import insights from './insights';
import profiles from './profiles';
import rateLimit from './rate-limit';
import redis from './redis';

export default {
  audience,
  cache,
  content,
  delivery,
  experiments,
  insights,
  profiles,
  'rate-limit': rateLimit,
  redis,
};
