import admin from './admin';
import assetActions from './asset-actions';
import delivery from './delivery';
import editor from './editor';
import insights from './insights';
import manifest from './manifest';
import preview from './preview';
import summary from './summary';
import tracking from './tracking';

export default {
  admin,
  'asset-actions': assetActions,
  delivery,
  editor,
  insights,
  manifest,
  preview,
  summary,
  tracking,
};
