/** Unwraps `Result`s in tests, failing with the other side's description. */
import { Result } from "effect"

export const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`expected success, got ${String(result.failure)}`)
  return result.success
}

export const fail = <A, E>(result: Result.Result<A, E>): E => {
  if (Result.isSuccess(result)) throw new Error(`expected failure, got ${String(result.success)}`)
  return result.failure
}
