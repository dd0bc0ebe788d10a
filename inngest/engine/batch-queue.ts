/**
 * Group commit for work that costs per call rather than per item, such as one statement or one
 * HTTP request: whatever is pushed while a batch is being written goes together in the next
 * one. A lone item waits one turn of the event loop; under load, the cost of a call is shared
 * by everything that piled up meanwhile.
 *
 * `write` settles each item itself. If it throws, the batch is written again item by item, so
 * one bad item (say a value PostgreSQL refuses) fails only its own caller. A writer whose
 * failures are never an item's fault (an unreachable server) settles its items and does not
 * throw.
 *
 * The engine's own: it imports nothing of the app, whose hand-offs use lib/batch-queue.ts.
 */
export class BatchQueue<Item extends { reject: (error: unknown) => void }> {
  private items: Item[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly write: (batch: Item[]) => Promise<void>) {}

  push(item: Item): void {
    this.items.push(item);
    this.start();
  }

  /** Resolves when every item pushed so far has been written or has failed. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private start(): void {
    if (this.writing) return;
    this.writing = this.loop().finally(() => {
      this.writing = null;
      // Callers resumed by the last batch may have pushed more before this ran.
      if (this.items.length > 0) this.start();
    });
  }

  private async loop(): Promise<void> {
    while (this.items.length > 0) {
      // Wait one turn of the event loop so every caller handled in it joins this batch. Some
      // writers never yield (PGlite runs a statement to the end), and without this pause no
      // two items would ever share a call.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = this.items;
      this.items = [];
      try {
        await this.write(batch);
      } catch {
        for (const item of batch) await this.write([item]).catch(item.reject);
      }
    }
  }
}
