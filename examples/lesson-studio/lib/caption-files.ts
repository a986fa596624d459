/**
 * Where caption files wait for the video backend to download them (`createVideoRoutes`' `captions.store`):
 * in the studio's database, so with several instances (`npm start -- --instances 2`) the backend's download
 * finds the file whichever instance it reaches. The table is read and written as the owner only.
 */
import { createHash } from "node:crypto";
import type { CaptionFileStore } from "lesson-video-kit/server";
import { getDatabase } from "./db/database";
import { sessionSecret } from "./settings";

interface CaptionFileRow {
  vtt: string;
  asset_id: string;
  expires_at: Date | string;
}

/** The caption-file store of lib/video-routes.ts; expired files are dropped as new ones arrive. */
export function databaseCaptionFileStore(): CaptionFileStore {
  return {
    async put(id, file) {
      const db = await getDatabase();
      await db.asService(async (sql) => {
        await sql.query("delete from public.studio_caption_files where expires_at < now()");
        await sql.query(
          `insert into public.studio_caption_files (id, asset_id, vtt, expires_at) values ($1, $2, $3, to_timestamp($4 / 1000.0))
           on conflict (id) do update set asset_id = excluded.asset_id, vtt = excluded.vtt, expires_at = excluded.expires_at`,
          [id, file.assetId, file.vtt, file.expiresAt],
        );
      });
    },
    async get(id) {
      const db = await getDatabase();
      const row = await db.asService(async (sql) => {
        const { rows } = await sql.query<CaptionFileRow>(
          "select vtt, asset_id, expires_at from public.studio_caption_files where id = $1 and expires_at > now()",
          [id],
        );
        return rows[0];
      });
      return row && { vtt: row.vtt, assetId: row.asset_id, expiresAt: new Date(row.expires_at).getTime() };
    },
    async delete(id) {
      const db = await getDatabase();
      await db.asService((sql) => sql.query("delete from public.studio_caption_files where id = $1", [id]));
    },
  };
}

/**
 * The key that signs caption-file URLs, the same on every instance: derived from SESSION_SECRET (which
 * they share), so it never has to be configured on its own, and a caption URL reveals nothing of it.
 */
export function captionUrlSecret(): string {
  return createHash("sha256").update(`lesson-studio caption files\0${sessionSecret()}`).digest("hex");
}
