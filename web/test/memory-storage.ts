import type { KeyStorage } from "../src/accounts";

/** A Map-backed `sessionStorage`. */
export class MemoryStorage implements KeyStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}
