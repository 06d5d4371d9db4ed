/**
 * Who may do what, as data: the officer roles and the rule for reading a store.
 *
 * Kho authorises, it does not authenticate (ADR 0097): the actor comes from the embedding system's
 * session. Every rule here is pure so that deciders and services share one definition.
 *
 * Reading a store (`storeReadProblem`):
 * - its owner (a citizen with that personal ID, a representative of that organisation) reads it;
 * - an auditor reads every store, read-only;
 * - an officer reads a store only in the course of a dossier of their agency for that owner (the
 *   caller names the dossier; its deciding agency and owner are checked), and the read is recorded
 *   as a `StoreAccessed` event in the owner's stream;
 * - nobody else (other citizens, the engine's `System` through a service) — `Forbidden`.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { type Actor, label } from "./Actor.ts"

/**
 * The roles an officer may hold at their agency; each guards one kind of act.
 *
 * @since 0.1.0
 */
export const Role = Schema.Literals(["receive", "issue", "certify", "digitise", "handle-complaints"])

/**
 * @since 0.1.0
 */
export type Role = typeof Role.Type

/**
 * What each role lets an officer do, with its Vietnamese name (for screens and the docs).
 *
 * @since 0.1.0
 */
export const roles: ReadonlyArray<{ readonly role: Role; readonly vietnamese: string; readonly allows: string }> = [
  { role: "receive", vietnamese: "Tiếp nhận", allows: "receive a dossier, ask for supplements, reject it" },
  { role: "issue", vietnamese: "Trả kết quả / ký", allows: "issue a result into a store and into the dossier" },
  { role: "certify", vietnamese: "Chứng thực", allows: "issue an electronically certified copy into a store" },
  { role: "digitise", vietnamese: "Số hóa", allows: "scan paper at the counter and record a digitised document" },
  { role: "handle-complaints", vietnamese: "Xử lý phản ánh", allows: "acknowledge, resolve or reject a complaint" }
]

/**
 * Older role names still found in officer directories, and the roles they stand for. Kept so that
 * actors built before the roles were checked keep working; new code uses the names of {@link Role}.
 *
 * @since 0.1.0
 */
export const legacyRoles: ReadonlyMap<string, ReadonlyArray<Role>> = new Map<string, ReadonlyArray<Role>>([
  ["receiver", ["receive", "digitise"]],
  ["issuer", ["issue", "certify", "handle-complaints"]]
])

/**
 * Whether `actor` is an officer holding `role` (directly or through a legacy name).
 *
 * @since 0.1.0
 */
export const hasRole = (actor: Actor, role: Role): boolean =>
  actor._tag === "Officer" &&
  actor.roles.some((held) => held === role || (legacyRoles.get(held)?.includes(role) ?? false))

/**
 * Why an officer may not act for lack of a role, or `null` when they hold it (non-officers are
 * left to the caller's own rule).
 *
 * @since 0.1.0
 */
export const roleProblem = (actor: Actor, role: Role, action: string): string | null =>
  actor._tag !== "Officer" || hasRole(actor, role)
    ? null
    : `${label(actor)} does not hold the role "${role}" (${
      roles.find((r) => r.role === role)?.vietnamese ?? role
    }) needed to ${action}: ask the agency to grant it`

/**
 * A read the actor may not make; nothing is returned and nothing is recorded.
 *
 * @since 0.1.0
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  ownerId: Schema.String,
  actor: Schema.String,
  message: Schema.String
}) {}

/**
 * Whether `actor` owns the store `ownerId`: the citizen with that personal ID, or a representative
 * of that organisation.
 *
 * @since 0.1.0
 */
export const isOwner = (actor: Actor, ownerId: string): boolean =>
  (actor._tag === "Citizen" && actor.personalId === ownerId) ||
  (actor._tag === "OrganisationRepresentative" && actor.organisationId === ownerId)

/**
 * The dossier an officer reads a store for: its id, owner, deciding agency and procedure.
 *
 * @since 0.1.0
 */
export interface DossierScope {
  readonly dossierId: string
  readonly ownerId: string
  readonly agencyCode: string
  readonly procedure: string
  readonly dossierNumber: string | null
}

/**
 * On what ground a read was allowed; an `Officer` read must be recorded as a store access.
 *
 * @since 0.1.0
 */
export type StoreRead =
  | { readonly _tag: "Owner" }
  | { readonly _tag: "Auditor" }
  | { readonly _tag: "Officer"; readonly dossier: DossierScope }

/**
 * Decides whether `actor` may read the store `ownerId`; `dossier` is the dossier an officer reads
 * it for (null when none was named or it does not exist).
 *
 * @since 0.1.0
 */
export const storeRead = (
  actor: Actor,
  ownerId: string,
  dossier: DossierScope | null
): Result.Result<StoreRead, Forbidden> => {
  const refuse = (message: string) => Result.fail(new Forbidden({ ownerId, actor: label(actor), message }))
  switch (actor._tag) {
    case "Citizen":
    case "OrganisationRepresentative":
      return isOwner(actor, ownerId)
        ? Result.succeed({ _tag: "Owner" })
        : refuse(`only the owner ${ownerId} may read this store; ${label(actor)} is not the owner`)
    case "Auditor":
      return Result.succeed({ _tag: "Auditor" })
    case "Officer":
      if (dossier === null) {
        return refuse(
          `an officer reads the store of ${ownerId} only for a dossier of their agency: name the dossier`
        )
      }
      if (dossier.ownerId !== ownerId) {
        return refuse(`dossier ${dossier.dossierId} is not a dossier of ${ownerId}`)
      }
      if (dossier.agencyCode !== actor.agencyCode) {
        return refuse(
          `dossier ${dossier.dossierId} is decided by ${dossier.agencyCode}; an officer of ${actor.agencyCode} may not read the store for it`
        )
      }
      return Result.succeed({ _tag: "Officer", dossier })
    case "System":
      return refuse(`the engine reads stores by itself; ${label(actor)} may not read one through a service`)
  }
}

/**
 * Whether `actor` may record a look into the store `ownerId`: its owner, an officer (the service
 * that records it checks the dossier), or the engine — never an auditor or another citizen.
 *
 * @since 0.1.0
 */
export const mayRecordAccess = (actor: Actor, ownerId: string): boolean =>
  isOwner(actor, ownerId) || actor._tag === "Officer" || actor._tag === "System"
