import delivery from './delivery';
import tracking from './tracking';

export default { delivery, tracking };
