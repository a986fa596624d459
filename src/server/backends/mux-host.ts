/** Whether a Mux API base URL is Mux's own (`*.mux.com`) rather than the emulator or another stand-in. */
export function isMuxApiUrl(baseURL: string): boolean {
  try {
    return /(^|\.)mux\.com$/i.test(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}

/**
 * The emulator's size cap of a direct upload (`lesson-video-kit/emulator` exports it as `UPLOAD_SIZE_CAP_HEADER`):
 * a request header of `POST /video/v1/uploads`, sent only when the base URL is not Mux's API.
 */
export const uploadSizeCapHeader = "x-emulator-max-upload-bytes";
