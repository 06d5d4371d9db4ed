import * as FileStore from "../src/FileStore.ts"
import { fileStoreContract } from "./utils/fileStoreContract.ts"

fileStoreContract("memory", () => FileStore.layerMemory)
