/**
 * Who did something. Every event records its actor so that the owner of a store can see
 * "who used my data" and an auditor can attribute every change.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A citizen acting on their own store, identified by the 12-digit personal ID.
 *
 * @since 0.1.0
 */
export const Citizen = Schema.TaggedStruct("Citizen", {
  personalId: Schema.String
})

/**
 * A representative acting for an organisation (identified by its tax or agency code).
 *
 * @since 0.1.0
 */
export const OrganisationRepresentative = Schema.TaggedStruct("OrganisationRepresentative", {
  organisationId: Schema.String,
  personalId: Schema.String
})

/**
 * An officer of one agency (agency code of decision 20/2020/QĐ-TTg), with the roles they hold there.
 *
 * @since 0.1.0
 */
export const Officer = Schema.TaggedStruct("Officer", {
  officerId: Schema.String,
  agencyCode: Schema.String,
  roles: Schema.Array(Schema.String)
})

/**
 * A read-only auditor.
 *
 * @since 0.1.0
 */
export const Auditor = Schema.TaggedStruct("Auditor", {
  auditorId: Schema.String
})

/**
 * The engine itself (projections, outbox relays, imports).
 *
 * @since 0.1.0
 */
export const System = Schema.TaggedStruct("System", {
  component: Schema.String
})

/**
 * Any actor.
 *
 * @since 0.1.0
 */
export const Actor = Schema.Union([Citizen, OrganisationRepresentative, Officer, Auditor, System])

/**
 * @since 0.1.0
 */
export type Actor = typeof Actor.Type

/**
 * The actor recorded on events the engine writes by itself.
 *
 * @since 0.1.0
 */
export const system = (component: string): Actor => ({ _tag: "System", component })

/**
 * A stable, human-readable label for an actor, e.g. `Officer:cb-001@000.00.16.H08`.
 *
 * @since 0.1.0
 */
export const label = (actor: Actor): string => {
  switch (actor._tag) {
    case "Citizen":
      return `Citizen:${actor.personalId}`
    case "OrganisationRepresentative":
      return `OrganisationRepresentative:${actor.personalId}@${actor.organisationId}`
    case "Officer":
      return `Officer:${actor.officerId}@${actor.agencyCode}`
    case "Auditor":
      return `Auditor:${actor.auditorId}`
    case "System":
      return `System:${actor.component}`
  }
}
