/**
 * `/system/v1/signing-keys…`: RS256 key pairs for signed playback. The private key is returned once, at
 * creation, base64-encoded PEM as Mux does; the emulator keeps only the public key.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context.js";
import { generateSigningKey } from "./jwt.js";
import { methodNotAllowed, notFound, readJsonObject, readPageQuery, sendData } from "./responses.js";
import { newId } from "./store.js";
import type { SigningKeyRecord } from "./types.js";

const keyJson = (key: SigningKeyRecord) => ({ id: key.id, created_at: String(Math.floor(key.createdAt / 1000)) });

export async function handleSigningKeysApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string[],
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? "GET";
  const [id, ...extra] = rest;
  if (extra.length > 0) throw notFound();
  if (id === undefined) {
    if (method === "POST") {
      await readJsonObject(req);
      const generated = await generateSigningKey();
      const key: SigningKeyRecord = { id: newId(), createdAt: Date.now(), publicKeyPem: generated.publicKeyPem };
      ctx.store.signingKeys.set(key.id, key);
      ctx.store.save();
      return sendData(res, 201, { ...keyJson(key), private_key: generated.privateKeyBase64 });
    }
    if (method === "GET") {
      const { limit, page } = readPageQuery(query);
      const all = [...ctx.store.signingKeys.values()].sort((a, b) => b.createdAt - a.createdAt);
      return sendData(res, 200, all.slice((page - 1) * limit, page * limit).map(keyJson));
    }
    throw methodNotAllowed(method);
  }
  const key = ctx.store.signingKeys.get(id);
  if (!key) throw notFound("signing key");
  if (method === "GET") return sendData(res, 200, keyJson(key));
  if (method === "DELETE") {
    ctx.store.signingKeys.delete(key.id);
    ctx.store.save();
    res.writeHead(204).end();
    return;
  }
  throw methodNotAllowed(method);
}
