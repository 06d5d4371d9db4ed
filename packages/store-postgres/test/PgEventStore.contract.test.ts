import { EventStoreContract } from "@kho/testing"
import { inject } from "vitest"
import { PgEventStore } from "../src/index.ts"
import { freshSchema } from "./utils/freshSchema.ts"

const url = inject("pgUrl")
const fresh = () => PgEventStore.layer({ url, schema: freshSchema(), poolSize: 4, pollInterval: 200 })

EventStoreContract.run("PostgreSQL", fresh)
EventStoreContract.runCheckpoints("PostgreSQL", fresh)
