/** A local HTTP server on 127.0.0.1 (port 0) standing in for a notification gateway. */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import type { Scope } from "effect"

/** One request the server received. */
export interface Received {
  readonly method: string
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** How the server answers a request: a status (and body), or never (`hang`). */
export type Reply = { readonly status: number; readonly body?: string } | "hang"

export interface Server {
  readonly url: string
  readonly received: ReadonlyArray<Received>
  /** Indexes of the requests the client gave up on (closed before an answer). */
  readonly abandoned: ReadonlyArray<number>
}

/** Starts the server for the life of the scope; `reply` sees each request and its index (from 0). */
export const startServer = (reply: (request: Received, index: number) => Reply): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() =>
      new Promise<{ server: http.Server; received: Array<Received>; abandoned: Array<number> }>((resolve) => {
        const received: Array<Received> = []
        const abandoned: Array<number> = []
        const server = http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (chunk: Buffer) => chunks.push(chunk))
          req.on("end", () => {
            const request: Received = {
              method: req.method ?? "",
              path: req.url ?? "",
              headers: req.headers,
              body: Buffer.concat(chunks).toString("utf8")
            }
            received.push(request)
            const index = received.length - 1
            res.on("close", () => {
              if (!res.writableEnded) abandoned.push(index)
            })
            const answer = reply(request, index)
            if (answer === "hang") return
            res.writeHead(answer.status, { "content-type": "application/json" })
            res.end(answer.body ?? "")
          })
        })
        server.listen(0, "127.0.0.1", () => resolve({ server, received, abandoned }))
      })
    ),
    ({ server }) =>
      Effect.promise(() =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
      )
  ).pipe(
    Effect.map(({ abandoned, received, server }) => ({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
      received,
      abandoned
    }))
  )

/** A port nothing listens on: bound, then released. */
export const closedPort: Effect.Effect<number> = Effect.promise(() =>
  new Promise<number>((resolve) => {
    const server = http.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
)
