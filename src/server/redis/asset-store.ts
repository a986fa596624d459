/**
 * The asset cache's shared part on Redis: one hash per asset (`asset` JSON, `settled`, `fetchedAt`) written
 * by a Lua script that keeps a settled asset from being undone by a late `preparing`, and a per-asset refresh
 * claim (`SET … NX PX`) so only one instance asks the backend per refresh interval.
 */
import type { VideoAsset } from "../../core/types.js";
import type { SharedAssetStore, SharedAssetWrite } from "../asset-cache.js";
import { redisScript, type RedisCommands } from "./commands.js";

// KEYS[1] entry; ARGV[1] asset JSON, ARGV[2] settled (0/1), ARGV[3] fetchedAt, ARGV[4] ttl ms.
const writeScript = redisScript(`
local current = redis.call('HMGET', KEYS[1], 'asset', 'settled', 'fetchedAt')
if ARGV[2] == '0' and current[2] == '1' then return 'kept' end
local unchanged = current[1] == ARGV[1]
local fetchedAt = ARGV[3]
if unchanged and tonumber(current[3]) > tonumber(fetchedAt) then fetchedAt = current[3] end
redis.call('HSET', KEYS[1], 'asset', ARGV[1], 'settled', ARGV[2], 'fetchedAt', fetchedAt)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if unchanged then return 'unchanged' end
return 'changed'
`);

// KEYS[1] claim; ARGV[1] this instance's token. Deletes the claim only if it is ours.
const releaseScript = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface RedisAssetStoreInput {
  commands: RedisCommands;
  prefix: string;
  /** Names this instance's refresh claims. */
  instanceId: string;
}

export function redisAssetStore({ commands, prefix, instanceId }: RedisAssetStoreInput): SharedAssetStore {
  const entryKey = (assetId: string) => `${prefix}asset:${assetId}`;
  const claimKey = (assetId: string) => `${prefix}asset-refresh:${assetId}`;
  return {
    async get(assetId) {
      const [asset, fetchedAt] = (await commands.call("HMGET", entryKey(assetId), "asset", "fetchedAt")) as Array<string | null>;
      if (!asset || !fetchedAt) return undefined;
      return { asset: JSON.parse(asset) as VideoAsset, fetchedAt: Number(fetchedAt) };
    },
    async set({ asset, fetchedAt }, ttlMs) {
      const settled = asset.status === "preparing" ? 0 : 1;
      const args = [JSON.stringify(asset), settled, fetchedAt, Math.max(1, Math.ceil(ttlMs))];
      return (await commands.script(writeScript, [entryKey(asset.id)], args)) as SharedAssetWrite;
    },
    async delete(assetId) {
      await commands.call("DEL", entryKey(assetId));
    },
    async claimRefresh(assetId, ms) {
      return (await commands.call("SET", claimKey(assetId), instanceId, "PX", Math.max(1, Math.ceil(ms)), "NX")) === "OK";
    },
    async releaseRefresh(assetId) {
      await commands.script(releaseScript, [claimKey(assetId)], [instanceId]);
    },
  };
}
