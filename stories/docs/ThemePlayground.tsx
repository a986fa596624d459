import { useId, useState, type CSSProperties } from "react";
import { ErrorDisplay, ProgressBar, UploadButton, UploadStatus } from "../../src/components/index.js";
import type { UploadState } from "../../src/core/types.js";

/** Which palette the playground shows: the kit's two themes, or one the reader edits. */
export type PlaygroundTheme = "light" | "dark" | "custom";

/** The variables the custom palette edits; every other variable keeps the light theme's value. */
export type CustomPalette = Record<(typeof editable)[number]["name"], string>;

export interface ThemePlaygroundProps {
  /** The palette shown first. Default `light`. */
  initialTheme?: PlaygroundTheme | undefined;
  /** Starting values of the custom palette. Default: a teal palette that meets WCAG AA. */
  initialPalette?: Partial<CustomPalette> | undefined;
}

const editable = [
  { name: "--lvk-color-accent", label: "Accent (buttons, progress, focus)" },
  { name: "--lvk-color-accent-contrast", label: "Text on accent" },
  { name: "--lvk-color-bg", label: "Page background" },
  { name: "--lvk-color-surface", label: "Card background" },
  { name: "--lvk-color-text", label: "Text" },
] as const;

/** A teal palette: every pair meets 4.5:1. */
const tealPalette: CustomPalette = {
  "--lvk-color-accent": "#0f766e",
  "--lvk-color-accent-contrast": "#ffffff",
  "--lvk-color-bg": "#f7fbfa",
  "--lvk-color-surface": "#ffffff",
  "--lvk-color-text": "#12302c",
};

const file = { name: "week-3-intro-to-react-hooks.mp4", size: 48_000_000, type: "video/mp4" };

const uploading: UploadState = {
  status: "uploading",
  progress: 42,
  bytesSent: 20_160_000,
  totalBytes: file.size,
  speed: 2_400_000,
  eta: 11.6,
  attempt: 1,
  file,
  uploadId: "upload-1",
};

const networkError = { code: "network", message: "The connection was lost.", retryable: true };

const themes: { value: PlaygroundTheme; label: string }[] = [
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "custom", label: "Custom" },
];

/**
 * Shows the kit's components in the light theme, the dark theme, or a palette the reader edits, with the CSS
 * that produces it: the live switcher of Storybook's theming page.
 */
export function ThemePlayground({ initialTheme = "light", initialPalette }: ThemePlaygroundProps) {
  const [theme, setTheme] = useState<PlaygroundTheme>(initialTheme);
  const [palette, setPalette] = useState<CustomPalette>({ ...tealPalette, ...initialPalette });
  const id = useId();
  const custom = theme === "custom";
  const style = (custom ? { ...palette, "--lvk-color-focus": palette["--lvk-color-accent"] } : {}) as CSSProperties;
  const css = custom
    ? `.my-app {\n${Object.entries(palette)
        .map(([name, value]) => `  ${name}: ${value};`)
        .join("\n")}\n  --lvk-color-focus: ${palette["--lvk-color-accent"]};\n}`
    : `<div data-theme="${theme}">…</div>`;

  return (
    <div className="lvk-theme-playground" style={{ display: "grid", gap: "1rem" }}>
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: "1rem", flexWrap: "wrap" }}>
        <legend style={{ fontWeight: 600, marginBottom: "0.5rem" }}>Theme</legend>
        {themes.map((option) => (
          <label key={option.value} style={{ display: "inline-flex", gap: "0.35rem", alignItems: "center" }}>
            <input
              type="radio"
              name={`${id}-theme`}
              value={option.value}
              checked={theme === option.value}
              onChange={() => setTheme(option.value)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>

      {custom && (
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: "1rem", flexWrap: "wrap" }}>
          <legend style={{ fontWeight: 600, marginBottom: "0.5rem" }}>Custom palette</legend>
          {editable.map((variable) => (
            <label key={variable.name} style={{ display: "grid", gap: "0.25rem" }}>
              {variable.label}
              <input
                type="color"
                value={palette[variable.name]}
                onChange={(event) => setPalette((current) => ({ ...current, [variable.name]: event.target.value }))}
              />
            </label>
          ))}
        </fieldset>
      )}

      <div
        data-theme={custom ? "light" : theme}
        data-testid="theme-preview"
        style={{
          ...style,
          background: "var(--lvk-color-bg)",
          color: "var(--lvk-color-text)",
          fontFamily: "var(--lvk-font)",
          padding: "1.5rem",
          borderRadius: "12px",
          display: "grid",
          gap: "1rem",
        }}
      >
        <UploadButton variant="dropzone" onFileSelect={() => undefined} description="MP4, MOV, WebM or MKV, up to 5 GB" />
        <UploadStatus state={uploading} onPause={() => undefined} onCancel={() => undefined} />
        <ProgressBar value={null} label="Processing progress" />
        <ErrorDisplay error={networkError} onRetry={() => undefined} title="Upload failed" />
      </div>

      <figure style={{ margin: 0 }}>
        <figcaption style={{ fontWeight: 600, marginBottom: "0.25rem" }}>CSS for this look</figcaption>
        <pre style={{ margin: 0, padding: "0.75rem", overflowX: "auto", background: "var(--lvk-color-surface-muted)", borderRadius: "8px" }}>
          <code>{css}</code>
        </pre>
      </figure>
    </div>
  );
}
