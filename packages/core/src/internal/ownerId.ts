/** Which identifier a store owner id is: stores belong to citizens and organisations alike. */
import * as AgencyCode from "../AgencyCode.ts"
import * as LegacyId from "../LegacyId.ts"
import * as PersonalId from "../PersonalId.ts"
import * as TaxCode from "../TaxCode.ts"

/** The kinds of identifier a store can be keyed by. */
export type OwnerIdKind = "PersonalId" | "LegacyId" | "TaxCode" | "AgencyCode"

/** The kind of `input`, or `null` when it is none of them. */
export const ownerIdKind = (input: string): OwnerIdKind | null =>
  PersonalId.isPersonalId(input)
    ? "PersonalId"
    : LegacyId.isLegacyId(input)
    ? "LegacyId"
    : TaxCode.isTaxCode(input)
    ? "TaxCode"
    : AgencyCode.isAgencyCode(input)
    ? "AgencyCode"
    : null

/** Why `input` cannot own a store, or `undefined` when it can. */
export const ownerIdProblem = (input: string): string | undefined =>
  ownerIdKind(input) === null
    ? `${
      JSON.stringify(input)
    } is not a store owner: expected a 12-digit personal ID, a 9-digit CMND, a tax code or an agency code`
    : undefined
