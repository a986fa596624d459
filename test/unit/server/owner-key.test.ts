// The owner key is a hash of the user id; a remembered key must equal a freshly computed one.
import { ownerKeyOf } from "../../../src/server/routes/access.js";

describe("ownerKeyOf", () => {
  it("answers the same key from memory as from the hash, one per user id", async () => {
    const first = await ownerKeyOf("alice");
    expect(first).toMatch(/^lvk1_[A-Za-z0-9_-]{43}$/);
    expect(await ownerKeyOf("alice")).toBe(first);
    expect(await ownerKeyOf("bob")).not.toBe(first);
    // More ids than are kept: "alice" is forgotten and hashed again, to the same key.
    for (let i = 0; i < 10_001; i++) await ownerKeyOf(`user-${i}`);
    expect(await ownerKeyOf("alice")).toBe(first);
  });
});
