/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Actor from "./Actor.ts"
/** @since 0.1.0 */
export * as Event from "./Event.ts"
/** @since 0.1.0 */
export * as EventRow from "./EventRow.ts"
/** @since 0.1.0 */
export * as EventStore from "./EventStore.ts"
/** @since 0.1.0 */
export * as EventStoreChecks from "./EventStoreChecks.ts"
/** @since 0.1.0 */
export * as HashChain from "./HashChain.ts"
/** @since 0.1.0 */
export * as SignatureReport from "./SignatureReport.ts"
/** @since 0.1.0 */
export * as SignatureVerifier from "./SignatureVerifier.ts"
/** @since 0.1.0 */
export * as Decider from "./Decider.ts"
/** @since 0.1.0 */
export * as Checkpoint from "./Checkpoint.ts"
/** @since 0.1.0 */
export * as Upcaster from "./Upcaster.ts"
/** @since 0.1.0 */
export * as EventCodec from "./EventCodec.ts"
/** @since 0.1.0 */
export * as CommandHandler from "./CommandHandler.ts"
/** @since 0.1.0 */
export * as Projection from "./Projection.ts"
/** @since 0.1.0 */
export * as Ndjson from "./Ndjson.ts"
/** @since 0.1.0 */
export * as AdministrativeUnit from "./AdministrativeUnit.ts"
/** @since 0.1.0 */
export * as Period from "./Period.ts"
/** @since 0.1.0 */
export * as Ratio from "./Ratio.ts"
/** @since 0.1.0 */
export * as ReuseRateReport from "./ReuseRateReport.ts"
/** @since 0.1.0 */
export * as Target from "./Target.ts"
/** @since 0.1.0 */
export * as VietnameseFormat from "./VietnameseFormat.ts"
/** @since 0.1.0 */
export * as WorkingCalendar from "./WorkingCalendar.ts"
/** @since 0.1.0 */
export * as PersonalId from "./PersonalId.ts"
/** @since 0.1.0 */
export * as LegacyId from "./LegacyId.ts"
/** @since 0.1.0 */
export * as TaxCode from "./TaxCode.ts"
/** @since 0.1.0 */
export * as AgencyCode from "./AgencyCode.ts"
/** @since 0.1.0 */
export * as ResultTypeCode from "./ResultTypeCode.ts"
/** @since 0.1.0 */
export * as DocumentCode from "./DocumentCode.ts"
/** @since 0.1.0 */
export * as DossierNumber from "./DossierNumber.ts"
/** @since 0.1.0 */
export * as Category from "./Category.ts"
/** @since 0.1.0 */
export * as Document from "./Document.ts"
/** @since 0.1.0 */
export * as DocumentStore from "./DocumentStore.ts"
/** @since 0.1.0 */
export * as DocumentStoreService from "./DocumentStoreService.ts"
/** @since 0.1.0 */
export * as DocumentSearch from "./DocumentSearch.ts"
/** @since 0.1.0 */
export * as VietnameseText from "./VietnameseText.ts"
/** @since 0.1.0 */
export * as FileStore from "./FileStore.ts"
/** @since 0.1.0 */
export * as Procedure from "./Procedure.ts"
/** @since 0.1.0 */
export * as Matching from "./Matching.ts"
/** @since 0.1.0 */
export * as Dossier from "./Dossier.ts"
/** @since 0.1.0 */
export * as DossierNumbering from "./DossierNumbering.ts"
/** @since 0.1.0 */
export * as DossierService from "./DossierService.ts"
/** @since 0.1.0 */
export * as ComplaintPolicy from "./ComplaintPolicy.ts"
/** @since 0.1.0 */
export * as Complaint from "./Complaint.ts"
/** @since 0.1.0 */
export * as ComplaintService from "./ComplaintService.ts"
/** @since 0.1.0 */
export * as ComplaintDeadlines from "./ComplaintDeadlines.ts"
/** @since 0.1.0 */
export * as KpiLedger from "./KpiLedger.ts"
/** @since 0.1.0 */
export * as ReuseRate from "./ReuseRate.ts"
/** @since 0.1.0 */
export * as Indicators from "./Indicators.ts"
/** @since 0.1.0 */
export * as ReportingPeriod from "./ReportingPeriod.ts"
/** @since 0.1.0 */
export * as Notification from "./Notification.ts"
/** @since 0.1.0 */
export * as RecipientDirectory from "./RecipientDirectory.ts"
/** @since 0.1.0 */
export * as NotificationOutbox from "./NotificationOutbox.ts"
/** @since 0.1.0 */
export * as Authorization from "./Authorization.ts"
/** @since 0.1.0 */
export * as AccessLog from "./AccessLog.ts"
/** @since 0.1.0 */
export * as LogPaging from "./LogPaging.ts"
