// The customer's endpoint for bench/webhooks.ts, in a process of its own as a real receiver
// would be: its work does not share the event loop it is measuring. It answers every POST with
// 204 and remembers when each `webhook-id` arrived; the parent collects the arrivals over IPC.
import http from "node:http";

let arrivals = [];

const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    arrivals.push([String(request.headers["webhook-id"]), Date.now()]);
    response.writeHead(204).end();
  });
});

process.on("message", (message) => {
  if (message === "collect") {
    // Only what arrived since the last collection: the parent keeps the running list.
    process.send({ arrivals });
    arrivals = [];
  } else if (message === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
