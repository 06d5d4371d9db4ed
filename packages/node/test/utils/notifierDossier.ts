/** Drives one dossier through the real decider up to its receipt, for the relay-over-webhook tests. */
import type { Actor } from "@kho/core/Actor"
import * as CommandHandler from "@kho/core/CommandHandler"
import * as Dossier from "@kho/core/Dossier"
import { Effect } from "effect"

export const ownerId = "052090000495"
export const agencyCode = "000.20.33.H08"
export const number = `${agencyCode}-240320-0001`
const at = "2024-03-20T01:15:00.000Z"

const owner: Actor = { _tag: "Citizen", personalId: ownerId }
const officer: Actor = { _tag: "Officer", officerId: "cb-001", agencyCode, roles: ["receiver"] }
const system: Actor = { _tag: "System", component: "dossier-numbering" }

/** Draft → submitted → numbered → received: two notifications per channel. */
export const submitAndReceive = (dossierId: string) =>
  Effect.gen(function*() {
    let step = 0
    const handle = (actor: Actor, command: Dossier.Command) =>
      CommandHandler.handle(Dossier.decider, dossierId, command, {
        actor,
        commandId: `${dossierId}:${++step}`,
        correlationId: dossierId,
        causationId: null
      })
    yield* handle(owner, {
      _tag: "CreateDraft",
      dossierId,
      actor: owner,
      at,
      procedure: { code: "1.000894", name: "Đăng ký kết hôn" },
      agencyCode,
      case: { code: "khong-xac-minh", name: "Không xác minh" },
      district: "binh-dinh.an-lao",
      commune: "binh-dinh.an-lao.an-hoa",
      channel: "online",
      submitter: { personalId: ownerId, name: "Nguyễn Văn An" },
      ownerId,
      requirements: [{ componentId: "to-khai", name: "Tờ khai đăng ký kết hôn", mandatory: true }]
    })
    yield* handle(owner, {
      _tag: "AttachComponent",
      dossierId,
      actor: owner,
      at,
      componentId: "to-khai",
      source: { _tag: "Uploaded", sha256: "f".repeat(64), size: 1024, mediaType: "application/pdf", fileName: "to-khai.pdf" }
    })
    yield* handle(owner, {
      _tag: "ChooseMethods",
      dossierId,
      actor: owner,
      at,
      submission: "Online",
      receipt: "AtCommuneOffice",
      deliveryAddress: null
    })
    yield* handle(owner, { _tag: "Submit", dossierId, actor: owner, at })
    yield* handle(system, { _tag: "AssignNumber", dossierId, actor: system, at, number })
    yield* handle(officer, { _tag: "Receive", dossierId, actor: officer, at })
  })
