import admin from './admin';
import delivery from './delivery';
import insights from './insights';
import tracking from './tracking';

export default { admin, delivery, insights, tracking };
