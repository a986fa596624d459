/**
 * How the Redis adapter talks to Redis: through the host's client (ioredis, or any client with the same
 * `call` / `subscribe` / `on` / `duplicate` shape, such as iovalkey), with a deadline on every command and
 * Lua scripts sent by hash. A command is sent only while the client is connected or about to be: one that
 * ioredis would queue while it reconnects could run long after its request gave up (an upload refused, its
 * quota reservation counted anyway), so it fails at once instead.
 */

/** The part of an ioredis client (`new Redis(url)`) the adapter uses. */
export interface RedisClient {
  /** ioredis' connection status: `wait`, `connecting`, `connect`, `ready`, `reconnecting`, `close`, `end`. */
  readonly status: string;
  /** Sends one command (`INCRBY`, `EVALSHA`, `PUBLISH`, …) and resolves with Redis' reply. */
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
  /** Puts the connection in subscriber mode (only on the adapter's own `duplicate()`). */
  subscribe(...channels: string[]): Promise<unknown>;
  /** A published message, on a subscribed connection. */
  on(event: "message", listener: (channel: string, message: string) => void): unknown;
  /** Connected and ready for commands; closed; given up reconnecting. */
  on(event: "ready" | "close" | "end", listener: () => void): unknown;
  /** A connection error (the adapter reports outages through `onStatusChange` instead). */
  on(event: "error", listener: (error: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: "message", listener: (channel: string, message: string) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: "ready" | "close" | "end", listener: () => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: "error", listener: (error: Error) => void): unknown;
  /** A new connection with the same options: the adapter's subscriber for asset events. */
  duplicate(): RedisClient;
  /** Closes the connection after pending replies. */
  quit(): Promise<unknown>;
  /** Closes the connection at once and stops reconnecting. */
  disconnect(): void;
}

/** A Lua script run with `EVALSHA`, and with `EVAL` when Redis does not know it (after a restart or `SCRIPT FLUSH`). */
export interface RedisScript {
  source: string;
  sha: Promise<string>;
}

export function redisScript(source: string): RedisScript {
  return { source, sha: sha1Hex(source) };
}

async function sha1Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Redis could not be asked: not connected, or no answer within the deadline. */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
}

export interface RedisCommandsOptions {
  timeoutMs: number;
  /** Every failed command (not a script Redis had forgotten). */
  onFailure(error: unknown): void;
  onSuccess(): void;
}

export class RedisCommands {
  readonly #client: RedisClient;
  readonly #options: RedisCommandsOptions;

  constructor(client: RedisClient, options: RedisCommandsOptions) {
    this.#client = client;
    this.#options = options;
  }

  call(command: string, ...args: Array<string | number>): Promise<unknown> {
    return this.#reported(() => this.#send(command, args));
  }

  script(script: RedisScript, keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.#reported(async () => {
      const tail = [keys.length, ...keys, ...args];
      try {
        return await this.#send("EVALSHA", [await script.sha, ...tail]);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return this.#send("EVAL", [script.source, ...tail]);
      }
    });
  }

  async #reported<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.#options.onSuccess();
      return result;
    } catch (error) {
      this.#options.onFailure(error);
      throw error;
    }
  }

  async #send(command: string, args: Array<string | number>): Promise<unknown> {
    const deadline = Date.now() + this.#options.timeoutMs;
    await this.#whenConnected(deadline);
    const reply = this.#client.call(command, ...args);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RedisUnavailableError(`Redis did not answer ${command} within ${this.#options.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    // A reply that comes after the deadline has nobody to tell.
    reply.catch(() => {});
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves while connected (or lazily about to connect); waits through a connection attempt; else fails at once. */
  #whenConnected(deadline: number): Promise<void> {
    const { status } = this.#client;
    if (status === "ready" || status === "wait") return Promise.resolve();
    if (status !== "connecting" && status !== "connect") {
      return Promise.reject(new RedisUnavailableError(`Redis is not connected (${status})`));
    }
    return new Promise((resolve, reject) => {
      const settle = (error?: RedisUnavailableError) => {
        clearTimeout(timer);
        this.#client.removeListener("ready", onReady);
        this.#client.removeListener("close", onClose);
        this.#client.removeListener("end", onClose);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onClose = () => settle(new RedisUnavailableError("Redis closed the connection"));
      const timer = setTimeout(
        () => settle(new RedisUnavailableError(`Redis did not connect within ${this.#options.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      this.#client.on("ready", onReady);
      this.#client.on("close", onClose);
      this.#client.on("end", onClose);
    });
  }
}
