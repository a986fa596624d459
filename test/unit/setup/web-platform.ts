// The unit project runs each file in a VM context of its worker (`pool: "vmThreads"`), whose global is jsdom's
// window: it lacks what browsers have and jsdom leaves out (web streams, `crypto.subtle`). Node's own are put
// there, as the forks pool's jsdom environment has them from Node's global.
import { webcrypto } from "node:crypto";
import * as webStreams from "node:stream/web";

const global = globalThis as unknown as Record<string, unknown>;
for (const [name, value] of Object.entries(webStreams)) {
  if (global[name] === undefined) global[name] = value;
}
if (globalThis.crypto.subtle === undefined) {
  Object.defineProperty(globalThis.crypto, "subtle", { value: webcrypto.subtle, configurable: true });
}
