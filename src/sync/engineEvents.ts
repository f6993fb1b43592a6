/** The engine's one typed event stream (the CLI and the tray render from it without polling). */
import type { EngineEvent } from './engineApi.js';

export class EngineEvents {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener (a UI bug) must never break syncing.
      }
    }
  }
}
