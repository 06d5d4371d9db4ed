/**
 * What the journey runs on in this example: the embedded default deployment — the event log in one
 * SQLite file (`@kho/store-sqlite`) and the files, content-addressed, in a directory
 * (`@kho/node` NodeFileStore).
 */
import { NodeFileStore } from "@kho/node"
import { SqliteEventStore } from "@kho/store-sqlite"
import { Layer } from "effect"
import { join } from "node:path"

/** The event store in `<dir>/kho.sqlite` and the file store in `<dir>/files`. */
export const layer = (dir: string) =>
  Layer.merge(
    SqliteEventStore.layer({ filename: join(dir, "kho.sqlite") }),
    NodeFileStore.layer(join(dir, "files"))
  )
