/**
 * Checks an asset's slots as an editor saves them, for what `experiment` slots need: candidate
 * weights that are non-negative numbers, a holdout percentage between 0 and 100, and at least two
 * candidates to test against each other. Works on the raw data a save carries.
 */

export interface SlotIssue {
  path: string[];
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return null;
}

export function validateExperimentSlots(slots: unknown): SlotIssue[] {
  if (!Array.isArray(slots)) return [];
  const issues: SlotIssue[] = [];
  slots.forEach((slot, s) => {
    if (!isRecord(slot)) return;
    const name = typeof slot.key === 'string' && slot.key ? `'${slot.key}'` : `#${s + 1}`;
    const at = ['slots', String(s)];
    if (slot.holdout !== undefined && slot.holdout !== null) {
      const holdout = numberOf(slot.holdout);
      if (holdout === null || !Number.isInteger(holdout) || holdout < 0 || holdout > 100) {
        issues.push({
          path: [...at, 'holdout'],
          message: `slot ${name}: holdout must be a whole percentage from 0 to 100`,
        });
      }
    }
    const candidates = Array.isArray(slot.candidates) ? slot.candidates : [];
    candidates.forEach((candidate, c) => {
      if (!isRecord(candidate) || candidate.weight === undefined || candidate.weight === null) {
        return;
      }
      const weight = numberOf(candidate.weight);
      if (weight === null || !Number.isFinite(weight) || weight < 0) {
        issues.push({
          path: [...at, 'candidates', String(c), 'weight'],
          message: `slot ${name}, candidate ${c + 1}: weight must be a number of 0 or more`,
        });
      }
    });
    if (slot.mode === 'experiment' && candidates.length < 2) {
      issues.push({
        path: [...at, 'candidates'],
        message: `slot ${name}: an experiment needs at least two candidates to compare`,
      });
    }
  });
  return issues;
}
