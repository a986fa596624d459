// What the examples in README.md and docs/**/*.md take from the host app they are pasted into: its sign-in, its
// database and its analytics. Declared here so every example type-checks, exactly as written, against the
// packed package (test/node/docs-examples.test.ts); nothing of lesson-video-kit is declared here.

declare module "@/lib/auth" {
  /** The host's session lookup (NextAuth, Clerk, Supabase, …). */
  export function auth(request: Request): Promise<{ userId: string } | null>;
}

declare module "@/lib/db" {
  export const db: {
    lessons: {
      creatorOf(lessonId: string): Promise<string | null>;
      mayWatch(userId: string, playbackId: string): Promise<boolean>;
      update(lessonId: string, fields: Record<string, unknown>): Promise<void>;
      /** A lesson as `userId` (null: signed out) may see it through the access policy, or null. */
      find(
        lessonId: string,
        userId: string | null,
      ): Promise<{
        title: string;
        description: string;
        videoStatus: "pending" | "processing" | "ready" | "error";
        muxAssetId: string | null;
        muxPlaybackId: string | null;
      } | null>;
      /** Updates the video of the lesson an upload event is about (docs/database.md: "Keeping video_status in step"). */
      updateVideo(
        match: { lessonId?: string | undefined; uploadId?: string | undefined; assetId: string },
        fields: Record<string, unknown>,
      ): Promise<void>;
    };
  };
}

declare module "@/lib/session" {
  /** The signed-in user of the current request in a server component (from cookies), or null. */
  export function currentUser(): Promise<{ userId: string } | null>;
}

/** The host's way to get a bearer token for its own API. */
declare function getToken(): Promise<string>;

/** The host's analytics client. */
declare const analytics: { track(event: string, properties: object): void };
declare module "*.css";

declare module "@/lib/video-hooks" {
  /** The host's webhook hooks, as docs/database.md's "Keeping `video_status` in step with the backend" writes them. */
  export const lessonVideoHooks: import("lesson-video-kit/server").WebhookHooks;
}
