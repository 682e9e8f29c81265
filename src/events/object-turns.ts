/**
 * One process's queue at each Stripe object, so that its batches in flight never wait for each
 * other inside the database.
 *
 * Two batches about one object must not interleave: the worker holds each object's advisory lock
 * for its transaction (see `lockObjects`). Between processes that lock is the guard, and one
 * transaction waits for the other's commit. Within a process the wait costs more than it looks: a
 * batch blocked on one shared object holds back every other event it carries, and the process has
 * nothing to do while the batch ahead of it waits for its own round trips. So the worker asks here
 * first. An event whose objects are free is applied at once; one that needs an object another batch
 * holds (or that an earlier event still waits for) joins the line, and is applied in a transaction
 * of its own once its turn comes, while the rest of its batch goes ahead.
 *
 * A turn joins the line of every object it needs in one step, so turns are served in the order
 * they joined on every line they share: no two ever wait for each other. Keys are the objects'
 * ids, as `lockObjects` takes them.
 */
export interface Turn {
  /** Settles when this turn is first in the line of every object it named. */
  readonly ready: Promise<void>;
  /** Steps out of every line (first or still waiting), letting the next turn in; idempotent. */
  leave(): void;
}

class QueuedTurn implements Turn {
  readonly ready: Promise<void>;
  /** Lines in which another turn is still ahead of this one. */
  behind = 0;
  left = false;
  private settle!: () => void;

  constructor(
    private readonly turns: ObjectTurns,
    readonly keys: readonly string[],
  ) {
    this.ready = new Promise<void>((resolve) => {
      this.settle = resolve;
    });
  }

  moveUp(): void {
    this.behind--;
    if (this.behind === 0) this.settle();
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.turns.remove(this);
  }
}

export class ObjectTurns {
  private readonly lines = new Map<string, QueuedTurn[]>();

  /** Whether no turn holds or awaits `key`. */
  isFree(key: string): boolean {
    return !this.lines.has(key);
  }

  /** Joins the line of every key in `keys` at once. */
  join(keys: Iterable<string>): Turn {
    const turn = new QueuedTurn(this, [...new Set(keys)]);
    for (const key of turn.keys) {
      const line = this.lines.get(key);
      if (line) {
        line.push(turn);
        turn.behind++;
      } else {
        this.lines.set(key, [turn]);
      }
    }
    // Nothing ahead anywhere: ready now.
    turn.behind++;
    turn.moveUp();
    return turn;
  }

  /** Objects with a line (held or awaited): what is left when every turn has left is none. */
  get size(): number {
    return this.lines.size;
  }

  remove(turn: QueuedTurn): void {
    for (const key of turn.keys) {
      const line = this.lines.get(key);
      if (!line) continue;
      const at = line.indexOf(turn);
      if (at < 0) continue;
      line.splice(at, 1);
      if (line.length === 0) this.lines.delete(key);
      else if (at === 0) line[0]!.moveUp();
    }
  }
}
