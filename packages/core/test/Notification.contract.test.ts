/**
 * The Notifier contract of `@kho/testing` on core's in-memory notifier.
 */
import * as NotifierContract from "@kho/testing/NotifierContract"
import { Context, Effect, Layer } from "effect"
import * as Notification from "../src/Notification.ts"

NotifierContract.run("Notification.layerMemory", Effect.gen(function*() {
  const context = yield* Layer.build(Notification.layerMemory)
  const deliveries = Context.get(context, Notification.Deliveries)
  return {
    notifier: Context.get(context, Notification.Notifier),
    received: Effect.map(deliveries.delivered, (all) => all.map((d) => d.message))
  }
}))
