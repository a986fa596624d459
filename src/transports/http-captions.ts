// `createHttpTransport`'s caption calls, the asset's downloads and clips, loaded with the first of them (a lesson's captions panel), so a page
// with only an uploader does not download them.
import type { AddCaptionRequest, CaptionTrack, GenerateCaptionsRequest, VideoAsset, VideoDownload, VideoTransport } from "../core/types.js";
import { createVideoError } from "../core/errors.js";

/** The transport's request: JSON to `baseUrl + path` with its headers; rejects with a `VideoError`. */
export type TransportRequest = (path: string, init: { method?: string; body?: unknown; signal?: AbortSignal | undefined }) => Promise<Response>;

type CaptionCalls = { [Call in "listCaptions" | "addCaption" | "removeCaption" | "generateCaptions" | "getDownloads" | "createClip"]-?: NonNullable<VideoTransport[Call]> };

/** The four caption calls of `/assets/:id/captions`, the asset's downloads and its clips, over the transport's `request` and JSON reader. */
export function createCaptionCalls(request: TransportRequest, json: <T>(response: Response) => Promise<T>): CaptionCalls {
  const captionPath = (assetId: string) => `/assets/${encodeURIComponent(assetId)}/captions`;
  return {
    listCaptions: async (assetId, { signal }) => json<CaptionTrack[]>(await request(captionPath(assetId), { signal })),
    async addCaption(assetId: string, req: AddCaptionRequest, { signal }): Promise<CaptionTrack> {
      let text: string;
      try {
        // Strict UTF-8: a file in another encoding must not reach the server with its letters replaced.
        text = new TextDecoder("utf-8", { fatal: true }).decode(await req.file.arrayBuffer());
      } catch (thrown) {
        throw createVideoError("file_type_not_allowed", { cause: thrown, details: { reason: "caption file is not UTF-8 text" } });
      }
      const body = {
        fileName: req.fileName,
        languageCode: req.languageCode,
        closedCaptions: req.closedCaptions,
        text,
        ...(req.name === undefined ? {} : { name: req.name }),
      };
      return json<CaptionTrack>(await request(captionPath(assetId), { method: "POST", body, signal }));
    },
    async removeCaption(assetId, trackId, { signal }): Promise<void> {
      await request(`${captionPath(assetId)}/${encodeURIComponent(trackId)}`, { method: "DELETE", signal });
    },
    getDownloads: async (assetId, { signal }) =>
      (await json<{ downloads: VideoDownload[] }>(await request(`/assets/${encodeURIComponent(assetId)}/downloads`, { signal }))).downloads,
    // JSON leaves out `requested` when it is undefined.
    createClip: async (assetId, { startTime, endTime, requested }, { signal }) =>
      json<VideoAsset>(await request(`/assets/${encodeURIComponent(assetId)}/clips`, { method: "POST", body: { startTime, endTime, requested }, signal })),
    async generateCaptions(assetId: string, req: GenerateCaptionsRequest, { signal }): Promise<CaptionTrack> {
      const body = { languageCode: req.languageCode, ...(req.name === undefined ? {} : { name: req.name }) };
      return json<CaptionTrack>(await request(`${captionPath(assetId)}/generate`, { method: "POST", body, signal }));
    },
  };
}
