import { layerMemory } from "@kho/core/EventStore"
import { EventStoreContract } from "../src/index.ts"

EventStoreContract.run("in-memory", () => layerMemory)
