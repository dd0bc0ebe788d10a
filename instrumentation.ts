export async function register() {
  // Start-up work needs Node (database, timers); the edge runtime has nothing to start.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startGatehouse } = await import("./lib/server/start");
  await startGatehouse();
}
