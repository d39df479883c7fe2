import { getService } from './utils';

export default async () => {
  getService('faults').destroy();
  await getService('experiments').destroy();
  // Batches already accepted are written before the database closes.
  await getService('profiles').settled();
  getService('cache').clear();
  await getService('redis').disconnect();
};
