// jsdom lacks DOM APIs Mux's web component needs; the real player runs in the Chromium tests and stories.
// Component tests replace `@mux/mux-player-react` with this plain <video>:
//   vi.mock("@mux/mux-player-react", () => import("./jsdom-player.js"));
import { forwardRef } from "react";

const PlayerInJsdom = forwardRef<HTMLVideoElement, { src?: string; title?: string }>(function PlayerInJsdom({ src, title }, ref) {
  return <video ref={ref} src={src} title={title} data-testid="player" />;
});

export default PlayerInJsdom;
