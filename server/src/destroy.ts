import { getService } from './utils';

export default async () => {
  await getService('experiments').destroy();
  getService('cache').clear();
  await getService('redis').disconnect();
};
