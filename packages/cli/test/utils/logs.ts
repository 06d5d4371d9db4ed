/**
 * Small sealed logs for the CLI tests, built event by event with `HashChain.seal`: dossiers received
 * by An Lão units (so the KPI ledger has figures), in several streams, in global order.
 */
import * as AdministrativeUnit from "@kho/core/AdministrativeUnit"
import type { RecordedEvent } from "@kho/core/Event"
import * as HashChain from "@kho/core/HashChain"
import * as Ndjson from "@kho/core/Ndjson"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A dossier the log receives: which unit, when, and whether a component came from the store. */
export interface Received {
  readonly unit: string
  readonly at: string
  readonly reused: boolean
}

const tree = AdministrativeUnit.asOf(AdministrativeUnit.binhDinhAnLao, "2024-03-01")

/** The agency code of an An Lão unit by its slug (`an-hoa`, `phong-tu-phap`…). */
export const agencyOf = (slug: string): string => {
  const unit = AdministrativeUnit.get(tree, `${AdministrativeUnit.AN_LAO}.${slug}`)
  if (unit?.agencyCode == null) throw new Error(`no agency ${slug}`)
  return unit.agencyCode
}

/** The envelope fields of an event, to be sealed in order. */
export type Unsealed = Omit<RecordedEvent, "hash" | "previousHash" | "globalPosition">

/** Seals events in order from position 1 and the genesis hash. */
export const seal = (events: ReadonlyArray<Unsealed>): Array<RecordedEvent> => {
  const out: Array<RecordedEvent> = []
  let previousHash = HashChain.GENESIS_HASH
  for (const [i, e] of events.entries()) {
    const sealed = HashChain.seal({ ...e, globalPosition: i + 1, previousHash })
    out.push(sealed)
    previousHash = sealed.hash
  }
  return out
}

/**
 * Two events per dossier, in its own stream: `DossierSubmitted`-like noise the ledger skips
 * (`DossierNoted`), then `DossierReceived`. Dossier `k` is received at `received[k].at`.
 */
export const dossierEvents = (received: ReadonlyArray<Received>, prefix = "d"): Array<Unsealed> =>
  received.flatMap((r, k): Array<Unsealed> => {
    const dossierId = `${prefix}-${k + 1}`
    const agencyCode = r.unit.includes(".") ? r.unit : agencyOf(r.unit)
    const common = {
      streamId: `Dossier-${dossierId}`,
      schemaVersion: 1,
      recordedAt: r.at,
      actor: { _tag: "Officer" as const, officerId: "cb.1", agencyCode, roles: ["receiver"] },
      correlationId: dossierId,
      causationId: null
    }
    return [
      { ...common, streamVersion: 1, type: "DossierNoted", data: { _tag: "DossierNoted", dossierId }, commandId: `${dossierId}:note` },
      {
        ...common,
        streamVersion: 2,
        type: "DossierReceived",
        commandId: `${dossierId}:receive`,
        data: {
          _tag: "DossierReceived",
          dossierId,
          at: r.at,
          number: `G22.30.21-240301-${String(k + 1).padStart(4, "0")}`,
          ownerId: "052090000495",
          agencyCode,
          procedure: "1.001193",
          officerId: "cb.1",
          components: [
            r.reused
              ? { componentId: "cccd", satisfiedBy: "AutoAttached", reuse: "Store" }
              : { componentId: "cccd", satisfiedBy: "Uploaded", reuse: "None" }
          ]
        }
      }
    ]
  })

/** `count` dossiers over March 2024 (one every 6 hours from 1 March, Vietnam time), every third reused. */
export const march = (count: number, units: ReadonlyArray<string> = ["an-hoa", "thi-tran-an-lao", "phong-tu-phap"]): Array<Received> =>
  Array.from({ length: count }, (_, k) => ({
    unit: units[k % units.length]!,
    at: new Date(Date.parse("2024-02-29T17:00:00.000Z") + k * 6 * 3_600_000).toISOString(),
    reused: k % 3 === 0
  }))

/** The NDJSON text of events. */
export const ndjson = (events: ReadonlyArray<RecordedEvent>): string => events.map((e) => Ndjson.encodeLine(e) + "\n").join("")

/** A fresh temporary directory and a writer into it. */
export const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    path: (name: string) => join(dir, name),
    write: (name: string, data: string | Uint8Array) => {
      const path = join(dir, name)
      writeFileSync(path, data)
      return path
    }
  }
}
