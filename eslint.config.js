// `npm run lint`: ESLint over the library (src/), its stories, the tests and the example app.
//
// - The library, stories and tests are linted with type information (one TypeScript program from
//   tsconfig.json): typescript-eslint's `strictTypeChecked` for src/ and stories/, a bug-finding subset for
//   test/.
// - The example app is linted without type information: its types come from its own node_modules (`next`,
//   the packed `lesson-video-kit`), which only `npm start` and the end-to-end setup install, and `npm test`
//   lints before either has run. `next build` type-checks it in the end-to-end setup.
// - React's hooks rules (with the React Compiler's checks of render purity) and jsx-a11y apply to every
//   file that renders; Next.js's own rules (core-web-vitals, the plugin of the app's `next` version) to the app.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import { defineConfig, globalIgnores } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const react = [
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  // A missing dependency is a stale closure: an error, not a hint.
  { rules: { "react-hooks/exhaustive-deps": "error" } },
];

/** Options where typescript-eslint's strict defaults reject idioms that say exactly what they mean. */
const typescriptOptions = {
  // `${count} files` is unambiguous; objects, undefined and null in a template stay errors.
  "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
  // Off: `if (!upload) return fail(notFound("upload"));` (respond, then stop) is this codebase's guard clause in
  // request handlers, parsers and callbacks; the rule would turn each into a block and found nothing else.
  "@typescript-eslint/no-confusing-void-expression": "off",
  // `const { secret: _secret, ...rest } = value` drops a field; `_name` marks a parameter kept for its type or
  // a loop variable that only counts.
  "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
  // Off: an `async` function without `await` is how a synchronous implementation of an async interface (the
  // in-memory stores, the emulator's cancel) turns a throw into a rejection, as its callers expect; the bug the
  // rule is after, a forgotten `await`, is no-floating-promises' and no-misused-promises' to find.
  "@typescript-eslint/require-await": "off",
  // A `let` that a callback reads before its one assignment must stay `let`: as a `const` the early read
  // would throw (the asset watcher's push handle, read if the push fails inside the call that returns it).
  "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
};

export default defineConfig(
  // A disable comment that no longer suppresses anything fails the lint, so none outlives its reason.
  { linterOptions: { reportUnusedDisableDirectives: "error" } },

  globalIgnores([
    "**/dist/",
    "storybook-static/",
    "coverage/",
    "docs-site/",
    "examples/*/.next/",
    "examples/*/.pack/",
    "examples/*/.data/",
    "examples/*/node_modules/",
    // Node tooling (build, release, bench and dev-server scripts and tool configs), not shipped code: not
    // part of this lint yet.
    "scripts/",
    "bench/",
    "docs/typedoc/",
    "examples/*/scripts/",
    "*.config.{js,ts}",
    ".size-limit.js",
  ]),

  {
    name: "library and stories (type-aware, strict)",
    files: ["src/**/*.{ts,tsx}", "stories/**/*.{ts,tsx}", ".storybook/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, ...react],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: typescriptOptions,
  },

  {
    name: "tests (type-aware, the rules that find bugs in tests)",
    files: ["test/**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": typescriptOptions["@typescript-eslint/no-unused-vars"],
      // An un-awaited `expect(…).rejects` or `user.click` passes whatever happens.
      "@typescript-eslint/no-floating-promises": "error",
      // Test servers take async request handlers (`createServer(async (req, res) => …)`): a rejection there is an
      // unhandled rejection, which fails the run.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },

  {
    name: "example app (without type information)",
    files: ["examples/lesson-studio/**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.strict, ...react, nextPlugin.configs["core-web-vitals"]],
    settings: { next: { rootDir: "examples/lesson-studio/" } },
    rules: {
      "@typescript-eslint/no-unused-vars": typescriptOptions["@typescript-eslint/no-unused-vars"],
    },
  },

);
