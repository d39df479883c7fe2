import { getService } from './utils';

export default async () => {
  getService('cache').clear();
  await getService('redis').disconnect();
};
