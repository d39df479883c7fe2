import { traitFilter } from '../../server/src/core/audience';

const columns = { plan: 'traitPlan', lifetimeValue: 'traitLifetimeValue' };

describe('audience estimates', () => {
  it('keeps trait conditions in the rule’s own syntax, under the columns that hold them', () => {
    expect(traitFilter({ traits: { plan: { $in: ['pro', 'team'] } } }, columns)).toEqual({
      where: { traitPlan: { $in: ['pro', 'team'] } },
      exact: true,
      undeclared: [],
    });
    expect(
      traitFilter(
        {
          $or: [{ traits: { plan: 'pro' } }, { $not: { traits: { lifetimeValue: { $lt: 500 } } } }],
        },
        columns
      )
    ).toEqual({
      where: { $or: [{ traitPlan: 'pro' }, { $not: { traitLifetimeValue: { $lt: 500 } } }] },
      exact: true,
      undeclared: [],
    });
  });

  it('drops request and behaviour conditions so that the count can only be an upper bound', () => {
    expect(traitFilter({ geo: { country: 'DE' }, traits: { plan: 'pro' } }, columns)).toEqual({
      where: { traitPlan: 'pro' },
      exact: false,
      undeclared: [],
    });
    // One branch anyone could take opens the whole $or.
    expect(
      traitFilter({ $or: [{ traits: { plan: 'pro' } }, { utm: { source: 'twitter' } }] }, columns)
    ).toEqual({ where: null, exact: false, undeclared: [] });
    // The negation of an upper bound bounds nothing.
    expect(
      traitFilter({ $not: { traits: { plan: 'pro' }, device: { type: 'mobile' } } }, columns)
    ).toEqual({ where: null, exact: false, undeclared: [] });
    expect(traitFilter({ $event: { name: 'purchase', $gte: 1 } }, columns)).toEqual({
      where: null,
      exact: false,
      undeclared: [],
    });
  });

  it('names traits that have no column', () => {
    expect(traitFilter({ traits: { shoeSize: 42, plan: 'pro' } }, columns).undeclared).toEqual([
      'shoeSize',
    ]);
  });
});
