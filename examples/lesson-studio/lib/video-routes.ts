/**
 * The package's video API (`createVideoRoutes`) as this app configures it: demo-session auth, creators
 * only for uploads, uploads and assets visible to their creator and their lesson's creator, the access
 * policy for signed playback, caption files kept in the database, learners' progress in the database (migration
 * 004) for lessons the access policy lets them watch, and webhook hooks that keep lesson rows in step.
 */
import {
  createSqlProgressStore,
  createVideoRoutes,
  type ProgressLesson,
  type VideoRouteHandler,
  type WebhookHooks,
} from "lesson-video-kit/server";
import { revalidateTag } from "next/cache";
import type { DemoUser } from "./demo-users";
import { lessonForViewer, lessonTag } from "./lesson-cache";
import { captionUrlSecret, databaseCaptionFileStore } from "./caption-files";
import { isAssetReferenced, lessonCreator, lessonsWithAsset, recordAssetState, type AssetStateChange } from "./lessons";
import { getDatabase } from "./db/database";
import { userFromRequest } from "./session";
import { linkImportAllowedHosts, muxSettings } from "./settings";
import { sharedStoreOptions } from "./shared-stores";
import { videoBackend } from "./video";

interface StudioVideoUser {
  id: string;
  user: DemoUser;
}

async function record(change: AssetStateChange) {
  const changed = await recordAssetState(change);
  // The next view of each lesson reads the new video state rather than a cached one.
  for (const lessonId of changed) revalidateTag(lessonTag(lessonId), { expire: 0 });
}

/**
 * What the backend's webhooks do to lesson rows; a save calls them again through `reconcileUpload` once it
 * has committed, for webhooks that came before the lesson row had the upload.
 */
export const lessonVideoHooks: WebhookHooks = {
  onUploadAssetCreated: ({ lessonId, uploadId, assetId }) => record({ videoStatus: "processing", lessonId, uploadId, assetId }),
  onAssetReady: ({ lessonId, uploadId, assetId, playbackId }) =>
    record({ videoStatus: "ready", lessonId, uploadId, assetId, playbackId }),
  onAssetErrored: ({ lessonId, uploadId, assetId }) => record({ videoStatus: "error", lessonId, uploadId, assetId }),
};

/**
 * The lesson as `userId` may watch it, for the progress routes: what the lesson page reads (through the access
 * policy: creator, published or purchased; cached per viewer), or null. Until its video is ready the duration is
 * 0, which the routes answer with 409.
 */
async function progressLesson(userId: string, lessonId: string): Promise<ProgressLesson | null> {
  const data = await lessonForViewer(userId, lessonId);
  if (!data) return null;
  const duration = data.asset?.status === "ready" ? (data.asset.duration ?? 0) : 0;
  return { duration, creatorId: data.lesson.creatorId, chapters: data.lesson.chapters };
}

function createStudioRoutes(): VideoRouteHandler {
  return createVideoRoutes<StudioVideoUser>({
    backend: videoBackend(),
    basePath: "/api/video",
    ...sharedStoreOptions(),
    playbackPolicy: muxSettings().playbackPolicy,
    async authorize(request) {
      const user = await userFromRequest(request);
      return user ? { id: user.id, user } : null;
    },
    async canUpload({ user }, lessonId) {
      if (!user.canCreate) return false;
      if (lessonId === undefined) return true;
      // A lesson of theirs, or an id not taken yet (the new-lesson page reserves one before saving).
      const creatorId = await lessonCreator(lessonId);
      return creatorId === undefined || creatorId === user.id;
    },
    // Uploads and assets answer to whoever created them; the creator of their lesson may see them too
    // (e.g. a video uploaded before owners were recorded).
    async canAccessUpload({ user }, { lessonId }) {
      return lessonId !== undefined && (await lessonCreator(lessonId)) === user.id;
    },
    // A take discarded with Record again deletes the asset it became, unless a saved lesson points to it (saved during
    // the review, or given to a lesson by the webhook): that one is kept.
    isAssetReferenced: (_user, asset) => isAssetReferenced(asset),
    async canViewAsset({ user }, { lessonId }) {
      return lessonId !== undefined && (await lessonCreator(lessonId)) === user.id;
    },
    async canView({ user }, playbackId) {
      // Tokens only for a playback id of a lesson the access policy shows this user.
      const db = await getDatabase();
      return db.asUser(user.id, async (sql) => {
        const { rows } = await sql.query("select 1 from public.lessons where mux_playback_id = $1 limit 1", [playbackId]);
        return rows.length > 0;
      });
    },
    // "Add from link" on the bulk page: public links only, plus the studio's own sample video on the emulator.
    imports: { allowedHosts: linkImportAllowedHosts() },
    captions: {
      store: databaseCaptionFileStore(),
      urlSecret: captionUrlSecret(),
      // Where the video backend downloads caption files from; real Mux needs a public address.
      ...(process.env.STUDIO_PUBLIC_URL ? { publicOrigin: process.env.STUDIO_PUBLIC_URL } : {}),
    },
    progress: {
      lesson: ({ id }, lessonId) => progressLesson(id, lessonId),
      // Each query in a transaction as the learner, so migration 004's row level security checks it again.
      store: createSqlProgressStore({
        async asUser(userId, work) {
          const db = await getDatabase();
          return db.asUser(userId, (sql) => work((text, params) => sql.query(text, params)));
        },
      }),
    },
    hooks: lessonVideoHooks,
  });
}

const captionPath = /^\/api\/video\/assets\/([^/]+)\/captions(?:\/|$)/;
const webhookPath = /^\/api\/video\/webhooks\//;

/** The next view of each lesson of the asset reads its caption tracks afresh. */
async function revalidateAssetLessons(assetId: string): Promise<void> {
  for (const lessonId of await lessonsWithAsset(assetId)) revalidateTag(lessonTag(lessonId), { expire: 0 });
}

/**
 * Lesson pages cache the asset with its caption tracks. A track added or removed here, or one the backend
 * says became ready or failed (`video.asset.track.*`, which has no hook of its own), makes its lessons'
 * pages read the asset again. The webhook body is read only after the routes verified its signature.
 */
function revalidatingCaptionChanges(routes: VideoRouteHandler): VideoRouteHandler {
  const handler = async (request: Request, context?: Parameters<VideoRouteHandler>[1]) => {
    const { pathname } = new URL(request.url);
    const caption = request.method !== "GET" ? captionPath.exec(pathname) : null;
    const webhook = request.method === "POST" && webhookPath.test(pathname) ? request.clone() : undefined;
    const response = await routes(request, context);
    if (!response.ok) return response;
    try {
      if (caption?.[1]) await revalidateAssetLessons(decodeURIComponent(caption[1]));
      if (webhook) {
        const event = (await webhook.json()) as { type?: unknown; data?: { asset_id?: unknown } };
        if (typeof event.type === "string" && event.type.startsWith("video.asset.track.") && typeof event.data?.asset_id === "string") {
          await revalidateAssetLessons(event.data.asset_id);
        }
      }
    } catch (error) {
      // The pages still refresh when their cache entries expire (five minutes).
      console.error("[lesson-studio] could not refresh the lesson pages of a caption change:", error);
    }
    return response;
  };
  return Object.assign(handler, { close: () => routes.close(), rejectMalformed: routes.rejectMalformed });
}

const routesKey = Symbol.for("lesson-studio.video-routes");
type GlobalWithRoutes = typeof globalThis & { [routesKey]?: VideoRouteHandler };

/** One handler per process: it holds the rate-limit counters, webhook replay memory and asset cache. */
export function videoRoutes(): VideoRouteHandler {
  const holder = globalThis as GlobalWithRoutes;
  holder[routesKey] ??= revalidatingCaptionChanges(createStudioRoutes());
  return holder[routesKey];
}
