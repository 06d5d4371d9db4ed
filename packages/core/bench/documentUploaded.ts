/**
 * The event every store benchmark appends (BENCHMARKS.md): a `DocumentUploaded`'s data, about 426
 * bytes as an NDJSON line. One definition for the in-memory, SQLite and PostgreSQL benches.
 */
import { createHash, randomUUID } from "node:crypto"

/** The data of the `i`-th `DocumentUploaded` of a run (a fresh document id, a distinct size and hash). */
export const documentUploadedData = (i: number) => ({
  documentId: randomUUID(),
  ownerId: "052090000495",
  category: "KQ.G15.000031",
  name: "052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính",
  size: 100_000 + i,
  mimeType: "application/pdf",
  uploadedAt: "2024-03-20T08:15:00.000Z",
  sha256: createHash("sha256").update(String(i)).digest("hex"),
  visible: true,
  shared: false
})
