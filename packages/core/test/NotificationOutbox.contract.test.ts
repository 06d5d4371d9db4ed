/**
 * The OutboxStore contract of `@kho/testing` on core's memory layer (the reference the SQL adapters
 * are held to).
 */
import * as OutboxStoreContract from "@kho/testing/OutboxStoreContract"
import * as NotificationOutbox from "../src/NotificationOutbox.ts"

OutboxStoreContract.run("NotificationOutbox.layerMemory", () => NotificationOutbox.layerMemory)
