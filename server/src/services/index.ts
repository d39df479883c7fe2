import audience from './audience';
import cache from './cache';
import content from './content';
import delivery from './delivery';
import editor from './editor';
import preview from './preview';
import profiles from './profiles';
import rateLimit from './rate-limit';
import redis from './redis';
import settings from './settings';

export default {
  audience,
  cache,
  content,
  delivery,
  editor,
  preview,
  profiles,
  'rate-limit': rateLimit,
  redis,
  settings,
};
