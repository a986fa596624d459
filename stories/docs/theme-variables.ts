import styles from "../../src/components/styles.css?raw";

/** One CSS custom property of the default theme, with its value in the light and the dark theme. */
export interface ThemeVariable {
  /** The property, e.g. `--lvk-color-accent`. */
  name: string;
  /** Its value in the light theme (the default). */
  light: string;
  /** Its value in the dark theme, or undefined when the dark theme keeps the light value. */
  dark: string | undefined;
}

const declarations = (block: string | undefined) =>
  new Map([...(block ?? "").matchAll(/(--lvk-[\w-]+)\s*:\s*([^;]+);/g)].map(([, name = "", value = ""]): [string, string] => [name, value.replace(/\s+/g, " ").trim()]));

/**
 * Reads the theme's custom properties from the stylesheet's `.lvk-theme-light` and `.lvk-theme-dark` rules,
 * so the theming page lists exactly what `lesson-video-kit/styles.css` defines.
 */
export function parseThemeVariables(css: string = styles): ThemeVariable[] {
  const light = declarations(/\.lvk-theme-light\s*\{([^}]*)\}/.exec(css)?.[1]);
  const dark = declarations(/\.lvk-theme-dark\s*\{([^}]*)\}/.exec(css)?.[1]);
  return [...light].map(([name, value]) => ({ name, light: value, dark: dark.get(name) }));
}
