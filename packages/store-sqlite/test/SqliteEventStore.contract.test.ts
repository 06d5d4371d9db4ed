import { EventStoreContract } from "@kho/testing"
import { afterAll } from "vitest"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqliteEventStore } from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "kho-sqlite-contract-"))
let n = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const fresh = () => SqliteEventStore.layer({ filename: join(dir, `store-${++n}.sqlite`), pollInterval: 20 })

EventStoreContract.run("SQLite file", fresh)
EventStoreContract.runCheckpoints("SQLite file", fresh)
EventStoreContract.run("SQLite :memory:", () => SqliteEventStore.layer({ filename: ":memory:" }))
