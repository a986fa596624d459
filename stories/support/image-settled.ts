/**
 * Resolves once the browser has finished with an image: its `load` or `error` event (or at once when it already
 * has). Stories wait on this event rather than on a timeout, so a slow dev server under load cannot fail them.
 */
export function imageSettled(image: HTMLImageElement): Promise<"load" | "error"> {
  if (image.complete) return Promise.resolve(image.naturalWidth > 0 ? "load" : "error");
  return new Promise((resolve) => {
    const done = (event: Event) => {
      image.removeEventListener("load", done);
      image.removeEventListener("error", done);
      resolve(event.type === "load" ? "load" : "error");
    };
    image.addEventListener("load", done);
    image.addEventListener("error", done);
  });
}
