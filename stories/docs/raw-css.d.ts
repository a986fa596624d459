// Vite's `?raw` suffix imports a file's text (Storybook's theming page reads styles.css this way).
declare module "*.css?raw" {
  const text: string;
  export default text;
}
