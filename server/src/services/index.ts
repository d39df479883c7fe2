import cache from './cache';
import content from './content';
import delivery from './delivery';
import profiles from './profiles';

export default { cache, content, delivery, profiles };
