// Real Chromium: a test page is on another origin than the emulator, as any site a developer visits is. It
// cannot turn the emulator's fault knobs with a simple text/plain POST, with a JSON POST (its preflight is
// refused), or read them; no knob it sent is in force (read through the test backend, from Node).
import { inject } from "vitest";

const emulatorUrl = inject("emulatorUrl");
const backend = inject("emulatorBackend");

/** A knob that would harm no other test if it got through: it fails requests of an upload that does not exist. */
const marker = { failChunk: { n: 1, status: 503, uploadId: "PageMustNotSetThis" } };

async function knobsInForce(): Promise<string> {
  return JSON.stringify(((await (await fetch(`${backend}/faults`)).json()) as { data: unknown }).data);
}

describe("the emulator's admin routes, from a web page", () => {
  it("refuse a page on another origin: a simple POST, a JSON POST and a read all fail, and no knob is set", async () => {
    expect(location.origin).not.toBe(new URL(emulatorUrl).origin);
    // text/plain needs no preflight, so the emulator must refuse it itself; without CORS headers the page sees a network error.
    await expect(fetch(`${emulatorUrl}/_emulator/faults`, { method: "POST", body: JSON.stringify(marker) })).rejects.toThrow(TypeError);
    await expect(
      fetch(`${emulatorUrl}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(marker) }),
    ).rejects.toThrow(TypeError);
    await expect(fetch(`${emulatorUrl}/_emulator/faults`)).rejects.toThrow(TypeError);
    expect(await knobsInForce()).not.toContain("PageMustNotSetThis");
  });
});
