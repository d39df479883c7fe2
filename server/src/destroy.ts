import { getService } from './utils';

export default () => {
  getService('cache').clear();
};
