import admin from './admin';
import delivery from './delivery';
import tracking from './tracking';

export default { admin, delivery, tracking };
