/** The process-wide count of edits waiting for the store, and when it tells rooms to read again. */
import { fc, it } from '@fast-check/vitest';
import { expect } from 'vitest';
import { UnstoredBudget } from '../../server/src/sync/unstored-budget';

it.prop([fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 200 })])(
  'says a room is over when it or the process passes its bound, and calls for relief exactly when the process falls back under',
  (deltas) => {
    const budget = new UnstoredBudget({ perRoom: 1000, perProcess: 3000 });
    let reliefs = 0;
    budget.onRelief(() => reliefs++);
    let model = 0;
    let expectedReliefs = 0;
    for (const delta of deltas) {
      const before = model;
      model = Math.max(0, model + delta);
      if (before > 3000 && model <= 3000) expectedReliefs++;
      budget.change(delta);
      expect(budget.bytes).toBe(model);
      expect(budget.isOver(0)).toBe(model > 3000);
      expect(budget.isOver(1001)).toBe(true);
    }
    expect(reliefs).toBe(expectedReliefs);
  },
);

it('stops calling a listener once it unsubscribes', () => {
  const budget = new UnstoredBudget({ perRoom: 10, perProcess: 10 });
  let calls = 0;
  const stop = budget.onRelief(() => calls++);
  budget.change(20);
  budget.change(-20);
  stop();
  budget.change(20);
  budget.change(-20);
  expect(calls).toBe(1);
});
