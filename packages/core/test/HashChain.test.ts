import { describe, expect, it } from "@effect/vitest"
import { GENESIS_HASH, computeHash, seal } from "../src/HashChain.ts"

const base = {
  streamId: "DocumentStore-052090000495",
  streamVersion: 1,
  globalPosition: 1,
  type: "DocumentUploaded",
  schemaVersion: 1,
  data: { b: 1, a: "Căn cước", "10": true },
  recordedAt: "2024-03-20T08:15:00.000Z",
  actor: { _tag: "Citizen" as const, personalId: "052090000495" },
  commandId: "cmd-1",
  correlationId: "corr-1",
  causationId: null,
  previousHash: GENESIS_HASH
}

describe("HashChain", () => {
  it("hashes the same event identically whatever the key order of its data", () => {
    const reordered = { ...base, data: JSON.parse(JSON.stringify({ "10": true, a: "Căn cước", b: 1 })) }
    expect(computeHash(reordered)).toBe(computeHash(base))
  })

  it("changes the hash when any field changes", () => {
    const h = computeHash(base)
    expect(computeHash({ ...base, streamVersion: 2 })).not.toBe(h)
    expect(computeHash({ ...base, data: { ...base.data, b: 2 } })).not.toBe(h)
    expect(computeHash({ ...base, previousHash: "1".repeat(64) })).not.toBe(h)
    expect(computeHash({ ...base, causationId: "x" })).not.toBe(h)
  })

  it("seals with a 64-hex SHA-256", () => {
    expect(seal(base).hash).toMatch(/^[0-9a-f]{64}$/)
  })
})
