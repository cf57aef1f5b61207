// The end-to-end benchmark's table: its rows, how figures are written, and medians over runs.

/** One row of the printed table. */
export interface Row {
  readonly figure: string
  readonly original: string
  readonly rx: string
  readonly ratio: string
}

export function printTable(rows: readonly Row[]): void {
  const widths = [46, 14, 14, 10]
  const line = (cells: readonly string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`
  console.log(line(['Figure', 'original', 'kandy-rx', 'ratio']))
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`)
  for (const row of rows) console.log(line([row.figure, row.original, row.rx, row.ratio]))
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Each figure's median over a workload's runs (each figure on its own: the runs need not agree on which was best). */
export function medianOf<R extends object>(runs: readonly R[]): R {
  const figures = Object.keys(runs[0]!) as Array<keyof R>
  return Object.fromEntries(figures.map((figure) => [figure, median(runs.map((run) => Number(run[figure])))])) as R
}

export const perSecond = (rate: number) => (rate === 0 ? 'timed out' : `${(rate / 1000).toFixed(1)}k/s`)
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
export const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(2)} MB`
/** kandy-rx's rate over the original's, blank when either run failed. */
export const ratioOf = (rx: number, original: number) => (rx === 0 || original === 0 ? '' : `${(rx / original).toFixed(1)}×`)
