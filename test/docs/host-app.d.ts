// What the examples in README.md and docs/**/*.md take from the host app they are pasted into: its sign-in, its
// database and its analytics. Declared here so every example type-checks, exactly as written, against the
// packed package (test/node/docs-examples.test.ts); nothing of lesson-video-kit is declared here.

declare module "@/lib/auth" {
  /** The host's session lookup (NextAuth, Clerk, Supabase, …). */
  export function auth(request: Request): Promise<{ userId: string } | null>;
}

/** The host's way to get a bearer token for its own API. */
declare function getToken(): Promise<string>;

/** The host's analytics client. */
declare const analytics: { track(event: string, properties: object): void };
declare module "*.css";

declare module "@/lib/lessons" {
  /** The lesson store's webhook hooks (docs/database.md, "The lesson store"). */
  export const lessonVideoHooks: import("lesson-video-kit/server").WebhookHooks;
}

declare module "@/lib/video" {
  /** The app's video backend (docs/database.md, "The lesson store"). */
  export const backend: import("lesson-video-kit/server").MuxBackend;
}

declare module "@/lib/drafts" {
  /** The host's draft lessons (docs/bulk-upload.md): one per video of a course being imported. */
  export function createDraftLesson(title: string): Promise<{ id: string }>;
  /** Stores the upload (or imported asset) id with a draft lesson. */
  export function attachUpload(lessonId: string, uploadOrAssetId: string): Promise<void>;
}

declare module "@/lib/db" {
  /** docs/database.md's `lib/db.ts`: one query in a transaction. */
  export type Query = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<{ rows: Row[]; rowCount: number }>;
  /** Runs `work` in one transaction as `userId` (null: signed out), through the access policy. */
  export function asUser<T>(userId: string | null, work: (query: Query) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction as the tables' owner. */
  export function asService<T>(work: (query: Query) => Promise<T>): Promise<T>;
}
