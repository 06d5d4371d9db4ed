import { describe, expect, it } from "@effect/vitest"
import * as ResultTypeCode from "../src/ResultTypeCode.ts"
import { ok, fail } from "./utils/result.ts"

describe("ResultTypeCode", () => {
  it("accepts the seed's codes and splits them", () => {
    for (const input of ["KQ.G15.000021", "KQ.G01.000023", "KQ.G02.000144", "KQ.G15.000031"]) {
      expect(ok(ResultTypeCode.parse(input))).toBe(input)
    }
    expect(ResultTypeCode.decode(ok(ResultTypeCode.parse("KQ.G15.000031")))).toEqual({ group: "G15", serial: "000031" })
  })

  it("refuses malformed codes", () => {
    for (const input of ["KQ.G15.00021", "kq.G15.000021", "KQ.15.000021", "G15.000021", "KQ.G15.000021 "]) {
      expect(fail(ResultTypeCode.parse(input))._tag).toBe("InvalidResultTypeCode")
    }
  })
})
