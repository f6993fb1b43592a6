/** What every test driving the official Lark SDK against a sandbox needs. */

/** A token cache of this client only (the SDK's default cache is shared by every client of the process). */
export function ownCache() {
  const values = new Map<unknown, { value: unknown; expiredTime?: number }>();
  return {
    async get(key: unknown) {
      const entry = values.get(key);
      return entry && (!entry.expiredTime || entry.expiredTime > Date.now()) ? entry.value : undefined;
    },
    async set(key: unknown, value: unknown, expiredTime?: number) {
      values.set(key, { value, ...(expiredTime === undefined ? {} : { expiredTime }) });
      return true;
    },
  };
}

/** The SDK logs every failed request; these tests provoke failures on purpose. */
export const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
