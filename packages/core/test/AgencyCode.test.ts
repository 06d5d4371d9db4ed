import { describe, expect, it } from "@effect/vitest"
import * as AgencyCode from "../src/AgencyCode.ts"
import { ok, fail } from "./utils/result.ts"

describe("AgencyCode", () => {
  it.each([
    ["000.00.00.H08", 1, null],
    ["000.00.16.H08", 2, "000.00.00.H08"],
    ["000.20.33.H08", 3, "000.00.33.H08"],
    ["001.20.33.H08", 4, "000.20.33.H08"],
    ["000.00.01.G12", 2, "000.00.00.G12"]
  ] as const)("reads %s as level %i", (input, level, parent) => {
    const code = ok(AgencyCode.parse(input))
    expect(AgencyCode.decode(code).level).toBe(level)
    expect(AgencyCode.parent(code)).toBe(parent)
  })

  it.each([
    ["000.00.16.h08", "looks like"],
    ["00.00.16.H08", "looks like"],
    ["000-00-16-H08", "looks like"],
    ["000.00.16.H00", "does not exist"],
    ["000.20.00.H08", "needs a level-2 unit"],
    ["001.00.16.H08", "needs a level-3 unit"]
  ])("refuses %s (%s)", (input, why) => {
    const error = fail(AgencyCode.parse(input))
    expect(error._tag).toBe("InvalidAgencyCode")
    expect(error.message).toContain(why)
  })
})
