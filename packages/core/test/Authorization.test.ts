import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import type { Actor } from "../src/Actor.ts"
import * as Authorization from "../src/Authorization.ts"
import { auditor, justiceAgency, officer, otherOfficer, owner, ownerId, stranger, system } from "./utils/documentFixtures.ts"

const scope = (overrides: Partial<Authorization.DossierScope> = {}): Authorization.DossierScope => ({
  dossierId: "hs-1",
  ownerId,
  agencyCode: justiceAgency,
  procedure: "1.000894",
  dossierNumber: null,
  ...overrides
})

const ground = (actor: Actor, dossier: Authorization.DossierScope | null = null) => {
  const read = Authorization.storeRead(actor, ownerId, dossier)
  return Result.isSuccess(read) ? read.success._tag : read.failure._tag
}

describe("Authorization", () => {
  it("lists every role once, with its Vietnamese name", () => {
    expect(Authorization.roles.map((r) => r.role).sort()).toEqual([...Authorization.Role.literals].sort())
    for (const r of Authorization.roles) expect(r.vietnamese.length).toBeGreaterThan(0)
  })

  it("checks roles, including the legacy names receiver and issuer", () => {
    const clerk: Actor = { _tag: "Officer", officerId: "x", agencyCode: justiceAgency, roles: ["receive"] }
    expect(Authorization.hasRole(clerk, "receive")).toBe(true)
    expect(Authorization.hasRole(clerk, "issue")).toBe(false)
    expect(Authorization.hasRole({ ...clerk, roles: ["receiver"] }, "digitise")).toBe(true)
    expect(Authorization.hasRole({ ...clerk, roles: ["issuer"] }, "certify")).toBe(true)
    expect(Authorization.hasRole({ ...clerk, roles: ["issuer"] }, "receive")).toBe(false)
    expect(Authorization.hasRole(owner, "receive")).toBe(false)
    expect(Authorization.roleProblem(clerk, "issue", "issue a result")).toContain(`"issue"`)
    expect(Authorization.roleProblem(owner, "issue", "issue a result")).toBeNull()
  })

  it("lets the owner and an auditor read a store; refuses a stranger and the engine", () => {
    expect(ground(owner)).toBe("Owner")
    expect(ground({ _tag: "OrganisationRepresentative", organisationId: ownerId, personalId: "052190000123" })).toBe("Owner")
    expect(ground(auditor)).toBe("Auditor")
    expect(ground(stranger)).toBe("Forbidden")
    expect(ground(system)).toBe("Forbidden")
  })

  it("lets an officer read a store only for a dossier of their agency for that owner", () => {
    expect(ground(officer)).toBe("Forbidden")
    expect(ground(officer, scope())).toBe("Officer")
    expect(ground(otherOfficer, scope())).toBe("Forbidden")
    expect(ground(officer, scope({ ownerId: "079201012345" }))).toBe("Forbidden")
  })

  it("lets the owner, an officer and the engine record an access; not an auditor or a stranger", () => {
    expect([owner, officer, system, auditor, stranger].map((a) => Authorization.mayRecordAccess(a, ownerId))).toEqual([
      true,
      true,
      true,
      false,
      false
    ])
  })
})
