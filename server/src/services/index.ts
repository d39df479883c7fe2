import assetActions from './asset-actions';
import audience from './audience';
import cache from './cache';
import content from './content';
import delivery from './delivery';
import editor from './editor';
import experiments from './experiments';
import extensions from './extensions';
import faults from './faults';
import insights from './insights';
import manifest from './manifest';
import preview from './preview';
import profiles from './profiles';
import rateLimit from './rate-limit';
import redis from './redis';
import rules from './rules';
import settings from './settings';
import summary from './summary';
import tracking from './tracking';

export default {
  'asset-actions': assetActions,
  audience,
  cache,
  content,
  delivery,
  editor,
  experiments,
  extensions,
  faults,
  insights,
  manifest,
  preview,
  profiles,
  'rate-limit': rateLimit,
  redis,
  rules,
  settings,
  tracking,
  summary,
};
