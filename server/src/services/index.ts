import cache from './cache';
import content from './content';
import delivery from './delivery';

export default { cache, content, delivery };
