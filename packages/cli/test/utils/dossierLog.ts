/**
 * A synthetic An Lão dossier log of any length, written streaming (never whole in memory): four events
 * per dossier (draft, submission, receipt with two components, result), dossiers started in waves of
 * 64 with their steps interleaved, hash-chained. Used by the replay bench and the replay memory test.
 * Every dossier is received once; half of the receipts reuse a document (from the store or an earlier
 * dossier), a quarter were digitised at the counter.
 */
import { createWriteStream } from "node:fs"
import { once } from "node:events"
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import * as HashChain from "@kho/core/HashChain"
import * as Ndjson from "@kho/core/Ndjson"

// ---------------------------------------------------------------------------------------------

const agencies = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-03-20").units
  .filter((u) => u.agencyCode !== null && u.parent === AdministrativeUnit.AN_LAO)
  .map((u) => u.agencyCode!)

const satisfied = [
  { componentId: "cccd", satisfiedBy: "AutoAttached", reuse: "Store" },
  { componentId: "don", satisfiedBy: "Uploaded", reuse: "None" },
  { componentId: "giay-khai-sinh", satisfiedBy: "ScannedAtCounter", reuse: "Digitised" },
  { componentId: "ket-qua-truoc", satisfiedBy: "EarlierResult", reuse: "EarlierDossier" }
] as const

/** The four events of dossier `d`, step `s` (0–3): envelope without positions and hashes. */
const eventOf = (d: number, s: number, at: string) => {
  const dossierId = `anlao-${String(d).padStart(7, "0")}`
  const agencyCode = agencies[d % agencies.length]!
  const ownerId = `0520900${String(d % 100_000).padStart(5, "0")}`
  const number = `G22.30.${String(d % 30).padStart(2, "0")}-240301-${String(d).padStart(7, "0")}`
  const base = { dossierId, at }
  const numbered = { ...base, number, ownerId, agencyCode, procedure: "1.001193" }
  const data = [
    { _tag: "DraftCreated", ...base, procedure: { code: "1.001193", name: "Đăng ký khai sinh" }, ownerId },
    { _tag: "DossierSubmitted", ...base, ownerId, agencyCode, procedure: "1.001193", submittedOn: at.slice(0, 10) },
    { _tag: "DossierReceived", ...numbered, officerId: "cb.1", components: [satisfied[d % 4]!, satisfied[1]] },
    {
      _tag: "ResultIssued",
      ...numbered,
      officerId: "cb.1",
      documents: [{ documentId: `${dossierId}.kq`, kind: d % 3 === 0 ? "CertifiedCopy" : "Result", name: "Giấy khai sinh" }]
    }
  ][s]!
  return {
    streamId: `Dossier-${dossierId}`,
    streamVersion: s + 1,
    type: data._tag,
    schemaVersion: 1,
    data,
    recordedAt: at,
    actor: s < 2
      ? { _tag: "Citizen" as const, personalId: ownerId }
      : { _tag: "Officer" as const, officerId: "cb.1", agencyCode, roles: ["receiver"] },
    commandId: `${dossierId}:${s}`,
    correlationId: dossierId,
    causationId: null
  }
}

/** Writes `events` events to `path`: dossiers started in waves of 64, their steps interleaved. */
export const writeDossierLog = async (path: string, events: number): Promise<{ readonly headHash: string }> => {
  const out = createWriteStream(path)
  const start = Date.parse("2024-01-01T01:00:00.000Z")
  let previousHash = HashChain.GENESIS_HASH
  let position = 0
  let buffer = ""
  const WAVE = 64
  for (let wave = 0; position < events; wave++) {
    for (let s = 0; s < 4 && position < events; s++) {
      for (let k = 0; k < WAVE && position < events; k++) {
        position++
        const at = new Date(start + position * 1000).toISOString()
        const sealed = HashChain.seal({ ...eventOf(wave * WAVE + k, s, at), globalPosition: position, previousHash })
        previousHash = sealed.hash
        buffer += Ndjson.encodeLine(sealed) + "\n"
      }
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await once(out, "drain")
        buffer = ""
      }
    }
  }
  out.end(buffer)
  await once(out, "finish")
  return { headHash: previousHash }
}

