/** Whether a Mux API base URL is Mux's own (`*.mux.com`) rather than the emulator or another stand-in. */
export function isMuxApiUrl(baseURL: string): boolean {
  try {
    return /(^|\.)mux\.com$/i.test(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}
