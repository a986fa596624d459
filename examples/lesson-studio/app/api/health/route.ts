/** Ready when the database is open and migrated; `npm start` waits for it before printing the URL. */
import { getDatabase } from "@/lib/db/database";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  await getDatabase();
  return Response.json({ ok: true });
}
