import type { CronSchedule } from "./cron";
import type { FunctionDefinition } from "./functions";

// Cron triggers: one timer per schedule on the engine's timer heap, re-armed from the slot
// that fired (not from "now"), so a late timer never skips or repeats a slot. Slots missed
// while no engine ran are not made up, as with Inngest.

export type TimerHeap = (at: number, fire: () => void) => () => void;
export type StartCronRun = (functionId: string, expression: string, slot: Date) => Promise<void>;

export class CronTimers {
  private cancels: Array<() => void> = [];

  constructor(
    private readonly at: TimerHeap,
    private readonly startRun: StartCronRun,
  ) {}

  /** Replaces every schedule with those of the functions just synced. */
  schedule(functions: Iterable<FunctionDefinition>, now: Date = new Date()): void {
    this.stop();
    for (const fn of functions) {
      for (const schedule of fn.cron) this.arm(fn.id, schedule, now);
    }
  }

  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }

  private arm(functionId: string, schedule: CronSchedule, after: Date): void {
    const slot = schedule.next(after);
    if (!slot) return;
    const cancel = this.at(slot.getTime(), () => {
      this.arm(functionId, schedule, slot);
      this.startRun(functionId, schedule.expression, slot).catch((error) =>
        console.error(`[inngest-engine] cron run of ${functionId} failed to start`, error),
      );
    });
    this.cancels.push(cancel);
  }
}
