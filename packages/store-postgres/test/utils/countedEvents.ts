/**
 * Events of the store tests: `count` "Counted" events tagged `tag`, sent by the System component
 * `component`, under one command id (a fresh one unless given).
 */
import type { NewEvent } from "@kho/core/Event"

export const countedEvents = (component: string) =>
(count: number, tag: string, commandId = `cmd-${tag}-${Math.random()}`): Array<NewEvent> =>
  Array.from({ length: count }, (_, i) => ({
    type: "Counted",
    schemaVersion: 1,
    data: { tag, i },
    metadata: { actor: { _tag: "System", component }, commandId, correlationId: "c", causationId: null }
  }))
