import { describe, expect, it } from "@effect/vitest"
import * as LegacyId from "../src/LegacyId.ts"
import { ok, fail } from "./utils/result.ts"

describe("LegacyId", () => {
  it("accepts 9 digits and nothing else", () => {
    expect(ok(LegacyId.parse("205404812"))).toBe("205404812")
    for (const input of ["20540481", "2054048120", "20540481x", ""]) {
      expect(fail(LegacyId.parse(input))._tag).toBe("InvalidLegacyId")
    }
  })
})
