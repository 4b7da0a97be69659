import { solve, type Constraint, type Model } from 'yalps';
import type { AttackerModel, HiddenCell } from './attacker-model.js';

// The range of values a hidden cell can take given everything the attacker knows: minimise, then
// maximise, the cell over the attacker's model.
//
// The attacker's unknowns are integers. The linear relaxation we solve has a feasible set that
// contains every integer solution, so on its own it could report a range wider than the real one,
// which is the unsafe direction. Our restrictions are interval bounds on row sums and column sums
// of a table and on the grand total (two laminar families of sets), a totally unimodular system with
// integer bounds, so every vertex is integral and the relaxation's optimum is the integer optimum.
// We do not take that on trust: when the optimal vertex found is not integral, the optimum is
// recomputed by branch and bound over integers. (An integral optimal vertex is itself a solution
// of the integer problem, so its value is the integer optimum.)

export interface CellRange {
  readonly tableId: string;
  readonly key: string;
  readonly min: number;
  /** `Infinity` when nothing published bounds the cell from above. */
  readonly max: number;
}

const OBJECTIVE = 'objective';
const INTEGRALITY_TOLERANCE = 1e-6;

/** Returns `null` when the published values contradict each other: no table can produce them. */
export function feasibleRanges(model: AttackerModel): CellRange[] | null {
  const constraints = new Map<string, Constraint>();
  const coefficients = new Map<string, Map<string, number>>(model.unknowns.map((u) => [u, new Map()]));
  model.restrictions.forEach((r, i) => {
    const name = `r${i}`;
    constraints.set(name, r.max === undefined ? { min: r.min } : { min: r.min, max: r.max });
    for (const u of r.terms) coefficients.get(u)?.set(name, 1);
  });
  const ranges: CellRange[] = [];
  for (const cell of model.hidden) {
    const min = optimum(cell, 'minimize', constraints, coefficients);
    const max = optimum(cell, 'maximize', constraints, coefficients);
    if (min === null || max === null) return null;
    ranges.push({ tableId: cell.tableId, key: cell.key, min, max });
  }
  return ranges;
}

function optimum(
  cell: HiddenCell,
  direction: 'minimize' | 'maximize',
  constraints: Map<string, Constraint>,
  coefficients: Map<string, Map<string, number>>,
): number | null {
  const inCell = new Set(cell.terms);
  const variables = [...coefficients].map(
    ([u, c]) => [u, inCell.has(u) ? new Map(c).set(OBJECTIVE, 1) : c] as const,
  );
  const model: Model = { direction, objective: OBJECTIVE, constraints, variables };
  let solution = solve(model);
  if (solution.status === 'optimal' && !solution.variables.every(([, value]) => isInteger(value))) {
    solution = solve({ ...model, integers: true });
  }
  switch (solution.status) {
    case 'optimal':
      return Math.round(solution.result);
    case 'unbounded':
      return Infinity;
    case 'infeasible':
      return null;
    case 'timedout':
    case 'cycled':
      throw new Error(`the LP solver did not finish on ${cell.tableId}/${cell.key} (${solution.status})`);
  }
}

const isInteger = (x: number): boolean => Math.abs(x - Math.round(x)) < INTEGRALITY_TOLERANCE;
