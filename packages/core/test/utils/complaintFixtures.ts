/** Fixtures for complaint tests: commands and the events they append. */
import type * as Complaint from "../../src/Complaint.ts"
import { at, justiceAgency, officer, owner, ownerId } from "./documentFixtures.ts"

type File = typeof Complaint.FileComplaint.Type
type Acknowledge = typeof Complaint.AcknowledgeComplaint.Type
type Resolve = typeof Complaint.ResolveComplaint.Type
type Reject = typeof Complaint.RejectComplaint.Type

export const complaintId = "pa-1"
export const acknowledgedAt = "2024-03-21T02:00:00.000Z"
export const closedAt = "2024-03-22T03:00:00.000Z"

export const subject = (overrides: Partial<Complaint.Subject> = {}): Complaint.Subject => ({
  code: "052090000495.KQ.G15.000021.02022024",
  name: "Bản sao được chứng thực từ bản chính",
  issuer: { _tag: "Agency", agencyCode: justiceAgency },
  status: "Active",
  openComplaints: [],
  ...overrides
})

export const fileComplaint = (overrides: Partial<File> = {}): File => ({
  _tag: "FileComplaint",
  complaintId,
  actor: owner,
  at,
  ownerId,
  documentId: "kq-1",
  subject: subject(),
  reason: "WrongCitizenInformation",
  comment: "Sai ngày sinh: 02/02/1990, không phải 02/02/1991",
  origin: { _tag: "StoreView" },
  rejectWithinWorkingDays: 2,
  handleWithinWorkingDays: 15,
  ...overrides
})

const about = (when: string) => ({ complaintId, ownerId, documentId: "kq-1", agencyCode: justiceAgency, at: when })

export const filed = (overrides: Partial<File> = {}): typeof Complaint.ComplaintFiled.Type => {
  const command = fileComplaint(overrides)
  return {
    _tag: "ComplaintFiled",
    complaintId: command.complaintId,
    ownerId: command.ownerId,
    documentId: command.documentId,
    agencyCode: command.subject.issuer._tag === "Agency" ? command.subject.issuer.agencyCode : "?",
    at: command.at,
    documentCode: command.subject.code,
    documentName: command.subject.name,
    reason: command.reason,
    comment: command.comment,
    origin: command.origin,
    rejectWithinWorkingDays: command.rejectWithinWorkingDays,
    handleWithinWorkingDays: command.handleWithinWorkingDays
  }
}

export const acknowledge = (overrides: Partial<Acknowledge> = {}): Acknowledge => ({
  _tag: "AcknowledgeComplaint",
  complaintId,
  actor: officer,
  at: acknowledgedAt,
  note: null,
  ...overrides
})

export const acknowledged: typeof Complaint.ComplaintAcknowledged.Type = {
  _tag: "ComplaintAcknowledged",
  ...about(acknowledgedAt),
  officerId: "cb-001",
  note: null
}

export const resolve = (overrides: Partial<Resolve> = {}): Resolve => ({
  _tag: "ResolveComplaint",
  complaintId,
  actor: officer,
  at: closedAt,
  replacementId: "kq-2",
  resolution: "Cấp lại bản sao với ngày sinh đúng",
  ...overrides
})

export const resolved: typeof Complaint.ComplaintResolved.Type = {
  _tag: "ComplaintResolved",
  ...about(closedAt),
  officerId: "cb-001",
  replacementId: "kq-2",
  resolution: "Cấp lại bản sao với ngày sinh đúng"
}

export const reject = (overrides: Partial<Reject> = {}): Reject => ({
  _tag: "RejectComplaint",
  complaintId,
  actor: officer,
  at: closedAt,
  reason: "Thông tin trên bản sao khớp với bản chính",
  ...overrides
})

export const rejected: typeof Complaint.ComplaintRejected.Type = {
  _tag: "ComplaintRejected",
  ...about(closedAt),
  officerId: "cb-001",
  reason: "Thông tin trên bản sao khớp với bản chính"
}
