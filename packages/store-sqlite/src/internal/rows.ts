/**
 * Prepared statements that return rows as arrays (`StatementSync#setReturnArrays`, Node ≥ 22.16):
 * no object per row on the replay path. `@types/node` 24 does not declare the method yet, hence the
 * one structural cast here.
 */
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from "node:sqlite"

export type Row = ReadonlyArray<SQLOutputValue>

export interface ArrayStatement {
  readonly get: (...parameters: Array<SQLInputValue>) => Row | undefined
  readonly all: (...parameters: Array<SQLInputValue>) => Array<Row>
}

interface WithReturnArrays {
  setReturnArrays(enabled: boolean): void
  get(...parameters: Array<SQLInputValue>): Row | undefined
  all(...parameters: Array<SQLInputValue>): Array<Row>
}

export const prepareArrays = (db: DatabaseSync, sql: string): ArrayStatement => {
  const statement = db.prepare(sql) as unknown as WithReturnArrays
  statement.setReturnArrays(true)
  return {
    get: (...parameters) => statement.get(...parameters),
    all: (...parameters) => statement.all(...parameters)
  }
}
