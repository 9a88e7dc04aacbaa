// The browser's stand-in for node:crypto: the engine asks it only for random display ids.
import { Buffer } from "buffer";

export function randomBytes(n: number): Buffer {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(n)));
}

export default { randomBytes };
