/**
 * What a store knows of its own writes, for /healthz: whether the last one failed (a full disk, a
 * damaged file, a lock held elsewhere), and the last failure. A signer whose writes fail cannot take
 * a payment, whatever else still answers.
 */
export interface WriteHealth {
  /** The last write failed; the next one that succeeds clears it. */
  writesFailing: boolean;
  /** Epoch ms and message of the last failed write, kept after writes work again. */
  lastWriteFailure: { at: number; message: string } | null;
}

export class WriteTracker {
  private health: WriteHealth = { writesFailing: false, lastWriteFailure: null };

  succeeded(): void {
    if (this.health.writesFailing) this.health = { ...this.health, writesFailing: false };
  }

  failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.health = { writesFailing: true, lastWriteFailure: { at: Date.now(), message } };
  }

  /** Runs a write and notes how it went; its error is thrown on. */
  track<T>(write: () => T): T {
    try {
      const result = write();
      this.succeeded();
      return result;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  async trackAsync<T>(write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      this.succeeded();
      return result;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  view(): WriteHealth {
    return this.health;
  }
}
