import * as FileStore from "../src/FileStore.ts"
import { fileStoreContract } from "@kho/testing/FileStoreContract"

fileStoreContract("memory", () => FileStore.layerMemory)
