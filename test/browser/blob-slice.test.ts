// Smoke test that the browser project runs in real Chromium: the sender relies on Blob.slice
// reading only the requested range.
describe("Blob.slice in Chromium", () => {
  it("reads only the requested byte range", async () => {
    const bytes = new Uint8Array(1024).map((_, i) => i % 251);
    const part = await new Blob([bytes]).slice(100, 200).arrayBuffer();
    expect(new Uint8Array(part)).toEqual(bytes.slice(100, 200));
    expect(navigator.userAgent).toMatch(/Chrome/);
  });
});
