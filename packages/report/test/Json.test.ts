import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { Json } from "../src/index.ts"
import { anLaoReport } from "./utils/anLao.ts"

describe("Json", () => {
  it("publishes the model and reads it back", () => {
    const text = Json.render(anLaoReport)
    expect(text.endsWith("}\n")).toBe(true)
    expect(JSON.parse(text).total).toEqual(anLaoReport.total)
    const back = Json.parse(text)
    expect(Result.isSuccess(back) && back.success).toEqual(anLaoReport)
  })

  it("refuses a published report whose figures were edited, or that is not JSON", () => {
    const doc = JSON.parse(Json.render(anLaoReport))
    doc.levels[1].rows[2].counts.reused = 67 // An Hòa, without fixing the totals
    const edited = Json.parse(JSON.stringify(doc))
    expect(Result.isFailure(edited) && edited.failure._tag).toBe("InvalidReportJson")
    expect(Result.isFailure(edited) && edited.failure.message).toMatch(/commune total is not the sum of its rows/)
    expect(Result.isFailure(Json.parse("{"))).toBe(true)
  })

  it("refuses a field the model does not have, naming it, instead of dropping it", () => {
    const doc = JSON.parse(Json.render(anLaoReport))
    doc.levels[1].rows[2].rate = "99,99" // a rate a reader would believe, that no check would compare
    const nested = Json.parse(JSON.stringify(doc, null, 2))
    expect(Result.isFailure(nested) && nested.failure._tag).toBe("InvalidReportJson")
    expect(Result.isFailure(nested) && nested.failure.message).toMatch(/unexpected field levels\[1\]\.rows\[2\]\.rate/)
    const top = Json.parse(JSON.stringify({ ...JSON.parse(Json.render(anLaoReport)), note: "đạt 60%" }))
    expect(Result.isFailure(top) && top.failure.message).toMatch(/unexpected field note /)
  })

  it("reads a report saved with a UTF-8 byte-order mark", () => {
    const back = Json.parse("\uFEFF" + Json.render(anLaoReport))
    expect(Result.isSuccess(back) && back.success).toEqual(anLaoReport)
    expect(Result.isFailure(Json.parse("\uFEFF\uFEFF" + Json.render(anLaoReport)))).toBe(true)
  })
})
