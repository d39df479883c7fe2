import admin from './admin';
import delivery from './delivery';
import editor from './editor';
import preview from './preview';
import tracking from './tracking';

export default { admin, delivery, editor, preview, tracking };
