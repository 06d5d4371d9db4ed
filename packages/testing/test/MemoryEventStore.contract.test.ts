import { layerMemory as checkpointsInMemory } from "@kho/core/Checkpoint"
import { layerMemory } from "@kho/core/EventStore"
import { EventStoreContract } from "../src/index.ts"

EventStoreContract.run("in-memory", () => layerMemory)
EventStoreContract.runCheckpoints("in-memory", () => checkpointsInMemory)
