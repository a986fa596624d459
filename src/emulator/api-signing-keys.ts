/**
 * `/system/v1/signing-keys…`: RS256 key pairs for signed playback. The private key is returned once, at
 * creation, base64-encoded PEM as Mux does; the emulator keeps only the public key. Besides those, the
 * emulator has a key of its own whose private part it keeps, to print at every start (`ownSigningKey`).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorContext } from "./context.js";
import { generateSigningKey } from "./jwt.js";
import { methodNotAllowed, notFound, readJsonObject, readPageQuery, sendData } from "./responses.js";
import { newId, type EmulatorStore } from "./store.js";
import type { EmulatorSigningKey, SigningKeyRecord } from "./types.js";

function readOwnSigningKey(path: string): EmulatorSigningKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch {
    saved = undefined;
  }
  const { id, privateKey } = (saved ?? {}) as Partial<Record<keyof EmulatorSigningKey, unknown>>;
  if (typeof id !== "string" || typeof privateKey !== "string") {
    throw new Error(`${path} is not a signing key the emulator wrote; move it away to get a new key.`);
  }
  return { id, privateKey };
}

/**
 * The emulator's own signing key, made at the first start on a data dir so signed playback works without a
 * `signingKeys.create()` call. The API lists it like any other key; its private part stays in
 * `store.ownSigningKeyPath` (owner-only), so later starts hand out the same key. Deleted through the API,
 * it is replaced at the next start.
 */
export async function ownSigningKey(store: EmulatorStore): Promise<EmulatorSigningKey> {
  const saved = readOwnSigningKey(store.ownSigningKeyPath);
  if (saved && store.signingKeys.has(saved.id)) return saved;
  const generated = await generateSigningKey();
  const key: SigningKeyRecord = { id: newId(), createdAt: Date.now(), publicKeyPem: generated.publicKeyPem };
  const own: EmulatorSigningKey = { id: key.id, privateKey: generated.privateKeyBase64 };
  // The private part first: a crash before the state is saved leaves a key the next start does not trust.
  const tmp = `${store.ownSigningKeyPath}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(own)}\n`, { mode: 0o600 });
  renameSync(tmp, store.ownSigningKeyPath);
  store.signingKeys.set(key.id, key);
  store.save();
  return own;
}

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
