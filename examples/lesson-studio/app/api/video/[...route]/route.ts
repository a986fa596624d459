/** Mounts the package's video API at /api/video/* (uploads, assets, events, playback tokens, Mux webhooks). */
import { videoRoutes } from "@/lib/video-routes";

export const dynamic = "force-dynamic";

const handle = (request: Request) => videoRoutes()(request);

// DELETE: removing a caption track (`DELETE /api/video/assets/:id/captions/:trackId`).
export { handle as GET, handle as POST, handle as DELETE, handle as OPTIONS };
