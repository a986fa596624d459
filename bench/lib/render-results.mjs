// Turns the figures of one `npm run bench` into bench/RESULTS.md. Ratios are "how many times better
// ours is" (peer ÷ ours for costs, ours ÷ peer for speeds): above 1 we win, below 1 we lose. Where we
// lose, a note says why and what would close it.

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const x = (ratio) => (Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×` : "—");
const mb = (value) => (value === undefined ? "—" : `${value.toFixed(1)} MB/s`);
const ms = (value) => `${Math.round(value)} ms`;
const MiB = 1024 * 1024;
const sizeLabel = (bytes) => (bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`);
const table = (header, rows) => [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

function machineLine(m) {
  const load = (l) => l.map((v) => v.toFixed(1)).join(" / ");
  return (
    `${m.date.slice(0, 16).replace("T", " ")} UTC · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · ` +
    `Chromium ${m.chromium} · ${m.platform} · load average (1/5/15 min) ${load(m.loadAtStart)} at start, ` +
    `${load(m.loadAtEnd)} at end (the machine is shared) · whole run ${Math.round(m.totalSeconds)} s`
  );
}

/** A lazy chunk of ours by what it holds, matched on its file name (bundlers prefix the source file's name). */
const lazyChunks = [
  { name: "uploader-views", what: "the uploader's progress, error and finished views (loaded while the drop zone shows)" },
  { name: "upload-work", what: "the upload's work: container sniffing, fingerprint, chunked sender, resume records (loaded on the first `start()`)" },
  { name: "asset-watcher", what: "the asset watcher's polling (loaded when an upload has sent its bytes or a `useAsset` first gets an id)" },
  { name: "event-stream", what: "its server-sent-events reader (loaded with the first watch)" },
];
const chunkOf = (files, name) => files?.find((f) => f.kind === "lazy" && f.file.replace(/^.*\//, "").startsWith(`${name}-`));
const moduleName = (module) => module.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? module.replace(/^.*\//, "");

function sizeSection(size, headlines) {
  const ours = size.rows.find((r) => r.id === "ours-uploader");
  const form = size.rows.find((r) => r.id === "ours-lessonform");
  const peers = size.rows.filter((r) => !r.id.startsWith("ours"));
  // Figures saved before the Vite measurement existed render with esbuild only.
  const bundlers = [
    ...(ours.vite ? [{ name: "Vite", of: (r) => r.vite }] : []),
    { name: "esbuild", of: (r) => r },
  ];
  const vsOurs = (bundler, r) => {
    const mine = bundler.of(ours).initialGzip;
    const theirs = bundler.of(r).initialGzip;
    if (r.id === "ours-uploader") return "ours";
    return r.id.startsWith("ours") ? x(mine / theirs) : x(theirs / mine);
  };
  const rows = size.rows.map((r) => [
    r.label,
    ...[...bundlers].reverse().flatMap((bundler) => {
      const s = bundler.of(r);
      return [`**${kB(s.initialGzip)}** (${kB(s.initialMin)} min)`, s.lazyGzip ? kB(s.lazyGzip) : "—", vsOurs(bundler, r)];
    }),
  ]);
  const header = ["consumer", ...[...bundlers].reverse().flatMap((b) => [`${b.name}: initial min+gzip`, `${b.name}: lazy min+gzip`, `${b.name}: vs ours`])];
  const lines = [
    "## 1. Bundle size (what a page downloads, React excluded)",
    "",
    `Each consumer is a one-component app written the way the library's docs show (\`bench/bundle-size.mjs\`)${ours.vite ? ", bundled twice" : ""}. ` +
      "**esbuild**, the same settings for every consumer: bundle, ESM, code splitting, minify, `target: es2022`, browser, " +
      "`react`/`react-dom`/`react/jsx-runtime` external, `NODE_ENV=production`; *initial* is the entry chunk and the chunks it imports statically. " +
      (ours.vite
        ? "**Vite** 8's production build (Rolldown), the app file as the input (no HTML, so no app gets the module-preload polyfill an HTML entry adds), its exports kept, the same externals, `NODE_ENV=production`, minify, " +
          "Vite's default browser target, `build.manifest`; *initial* is the manifest's entry and its transitive `imports`. "
        : "") +
      "Both: JS only (CSS not counted; ours ships a 1-file CSS theme, Uppy and FilePond need their CSS too), gzip level 9, packages from the repository's " +
      "node_modules, `lesson-video-kit` is the client entry built as the package builds it (tsup, `tsup.config.ts` settings, into scratch space). " +
      "*Lazy* is what loads on demand (our player, `@mux/mux-player-react`, only when a finished video is shown). *vs ours* is peer ÷ ours, per bundler.",
    "",
    table(header, rows),
  ];
  if (ours.vite) {
    const withHelper = size.rows.filter((r) => r.vite.files?.some((f) => f.kind === "initial" && f.preloadHelper));
    const withoutHelper = size.rows.filter((r) => !withHelper.includes(r));
    if (withHelper.length) {
      lines.push(
        "",
        "Vite wraps every dynamic `import()` in its module-preload helper (it preloads a lazy chunk's own imports and fires `vite:preloadError` when one fails); " +
          `the helper sits in the first load of the apps that use \`import()\` (${withHelper.map((r) => r.label).join("; ")}) and is counted above: it is part of what the app ships.` +
          (withoutHelper.length ? ` The others (${withoutHelper.map((r) => r.label).join("; ")}) have no \`import()\` and no helper.` : ""),
      );
    }
  }
  for (const bundler of bundlers) {
    for (const peer of peers) {
      const mine = bundler.of(ours).initialGzip;
      const theirs = bundler.of(peer).initialGzip;
      headlines.push(`bundle (initial, min+gzip, ${bundler.name}) vs ${peer.label}: **${x(theirs / mine)}** (${kB(mine)} vs ${kB(theirs)})`);
    }
  }
  // The same page imported from the `lesson-video-kit/uploader` entry, against the nearest peer.
  const slim = size.rows.find((r) => r.id === "ours-uploader-entry");
  const muxPeer = peers.find((p) => p.id === "mux-uploader-react");
  if (slim && muxPeer) {
    for (const bundler of bundlers) {
      const mine = bundler.of(slim).initialGzip;
      const theirs = bundler.of(muxPeer).initialGzip;
      headlines.push(`bundle (initial, min+gzip, ${bundler.name}) from \`lesson-video-kit/uploader\` vs ${muxPeer.label}: **${x(theirs / mine)}** (${kB(mine)} vs ${kB(theirs)})`);
    }
  }
  const src = (id) => size.fromSources?.find((r) => r.id === id);
  const srcUploader = src("ours-uploader");
  const srcForm = src("ours-lessonform");
  if (srcUploader && srcForm) {
    const both = (s) => (s.vite ? `${kB(s.vite.initialGzip)} with Vite, ${kB(s.initialGzip)} with esbuild` : kB(s.initialGzip));
    lines.push(
      "",
      `Bundled from our sources instead of the package build (one module per file, with the package's \`sideEffects\`), initial min+gzip: ` +
        `VideoUploader ${both(srcUploader)}; LessonForm ${both(srcForm)}. What fills the VideoUploader chunk then (esbuild, minified bytes): ` +
        `${srcUploader.initialByInput.map((i) => `${i.input} ${kB(i.min)}`).join(", ")}.`,
    );
  }
  const lazyLines = lazyChunks
    .map(({ name, what }) => {
      const esbuildChunk = chunkOf(ours.files, name);
      const viteChunk = chunkOf(ours.vite?.files, name);
      if (!esbuildChunk && !viteChunk) return undefined;
      const figures = [viteChunk && `${kB(viteChunk.gzip)} with Vite`, esbuildChunk && `${kB(esbuildChunk.gzip)} with esbuild`].filter(Boolean).join(", ");
      return `${what}: \`${name}\` (${figures})`;
    })
    .filter(Boolean);
  if (lazyLines.length) {
    lines.push(
      "",
      `Loaded on demand besides the player (VideoUploader app, min+gzip): ${lazyLines.join("; ")}. ` +
        "If the watcher cannot load, the upload ends in a retryable `network` error (test/unit/lazy-watcher.test.ts).",
    );
  }
  // Where ours is larger, per bundler: by how much, why, and what would close it.
  const viteLosses = ours.vite ? peers.filter((p) => p.vite.initialGzip < ours.vite.initialGzip) : [];
  const esbuildLosses = peers.filter((p) => p.initialGzip < ours.initialGzip);
  const lossList = (losses, of) =>
    losses.map((p) => `${p.label} (${kB(of(p).initialGzip)}, ours ${kB(of(ours).initialGzip - of(p).initialGzip)} more, ${x(of(p).initialGzip / of(ours).initialGzip)})`).join(", ");
  const theyStop = (losses) =>
    `${losses.length === 1 ? "That peer stops" : "Those peers stop"} when the bytes are sent; ours also carries in its first load what ` +
    `${losses.length === 1 ? "it leaves" : "they leave"} to the app: the upload state machine (pause, resume, retry), typed errors with i18n messages, ` +
    "the live-region announcer and the HTTP transport.";
  const dragged = srcUploader?.esbuildInitialViteLazy ?? [];
  const draggedMin = dragged.reduce((sum, m) => sum + m.min, 0);
  if (esbuildLosses.length) {
    lines.push(
      "",
      `**Where we lose under esbuild:** ${lossList(esbuildLosses, (r) => r)}. ${theyStop(esbuildLosses)} ` +
        "On top of that esbuild assigns whole files to chunks by static reachability: a file that the app's import statements reach through the package " +
        "entry (which re-exports `UploadStatus`, `ProgressBar`, `ErrorDisplay`, `VideoPlayer`, `validateVideoFile`, `sendChunks`, `defaultRetryPolicy`) and " +
        "that any chunk uses goes into a shared chunk the entry imports, even when only the lazy `uploader-views` and `upload-work` chunks use it " +
        "(`export *` does not change this)." +
        (dragged.length
          ? ` From our sources, esbuild puts ${dragged.length} files (${kB(draggedMin)} min) in the VideoUploader app's first load that Vite loads on demand: ` +
            `${dragged.map((m) => `${moduleName(m.module)} ${kB(m.min)}`).join(", ")}.`
          : "") +
        (slim
          ? ` What closes it: the \`lesson-video-kit/uploader\` entry, which exports the provider, \`VideoUploader\`, its hooks and the HTTP transport and ` +
            `reaches the views only through \`import()\`: the same page imported from it is ${kB(slim.initialGzip)} with esbuild (${kB(slim.vite?.initialGzip ?? 0)} with Vite).`
          : " What would close it: a package entry that does not re-export the views' building blocks and the upload's work."),
    );
  }
  if (viteLosses.length) {
    const fromSourcesVite = srcUploader?.vite?.initialGzip;
    const buildGap = fromSourcesVite !== undefined && ours.vite.initialGzip - fromSourcesVite > 500;
    const srcViews = chunkOf(srcUploader?.vite?.files, "uploader-views");
    const pkgViews = chunkOf(ours.vite.files, "uploader-views");
    const beatsAll = buildGap && viteLosses.every((p) => p.vite.initialGzip > fromSourcesVite);
    lines.push(
      "",
      `**Where we lose under Vite:** ${lossList(viteLosses, (r) => r.vite)}. ${theyStop(viteLosses)}` +
        (buildGap
          ? " Rolldown places modules by the chunks that use them, so from our sources the views and the upload's work leave the first load: " +
            `VideoUploader ${kB(fromSourcesVite)}${beatsAll ? `, less than ${viteLosses.map((p) => `${p.label}'s ${kB(p.vite.initialGzip)}`).join(" and ")}` : ""}` +
            `${srcViews && pkgViews ? ` (its lazy \`uploader-views\` chunk: ${kB(srcViews.gzip)}, against ${kB(pkgViews.gzip)} from the package build)` : ""}. ` +
            `The package build is what keeps it at ${kB(ours.vite.initialGzip)}: tsup builds the client entry with esbuild's code splitting, which has already merged ` +
            "those modules into shared chunk files that `dist/index.js` imports, and a bundler cannot split a file it is given (Rolldown drops unused code inside them, " +
            "not the code only a lazy chunk uses). What would close it: ship the client entry with its modules kept apart (one output file per source module, " +
            "e.g. tsup `bundle: false` for the ESM client build), a change to the package build and not to the API (owner: package build, `tsup.config.ts`)."
          : ""),
    );
  }
  const unreachable = ours.files?.filter((f) => f.unreachable) ?? [];
  if (ours.vite && unreachable.length) {
    lines.push(
      "",
      `esbuild's lazy figure for ours includes ${kB(unreachable.reduce((sum, f) => sum + f.gzip, 0))} min+gzip in ${unreachable.length === 1 ? "a chunk" : `${unreachable.length} chunks`} ` +
        "that no other chunk imports, so no page loads it: esbuild emits a chunk for every `import()` in a module it includes, even when the code holding " +
        "the `import()` is dropped (here a component the app does not use); Rolldown emits none.",
    );
  }
  lines.push(
    "",
    `LessonForm's initial chunk: ${bundlers.map((b) => `${kB(b.of(form).initialGzip)} min+gzip with ${b.name}`).join(", ")} (VideoUploader: ${bundlers.map((b) => `${kB(b.of(ours).initialGzip)} with ${b.name}`).join(", ")}); ` +
      `its lazy chunks are ${bundlers.map((b) => `${kB(b.of(form).lazyGzip)} with ${b.name}`).join(", ")}.`,
  );
  return lines.join("\n");
}

function uploadSection(upload, headlines) {
  const lines = [
    "## 2. Upload throughput and memory (headless Chromium → emulator on loopback)",
    "",
    "Generated MP4-looking files (an `ftyp` box, then one random 1 MiB block repeated), written to disk once and picked through a file input as a user would pick them. " +
      (upload.oursChunkSize === undefined || upload.oursChunkSize === null
        ? `Ours is core \`sendChunks\` as users get it: one XHR PUT per chunk (\`Content-Range\`, 308 → next), its chunk size adapting to the link (8 MiB, doubling while chunks take under 2 s, up to 128 MiB); the peer is \`@mux/upchunk\` with ${upload.chunkSize / MiB} MiB chunks (\`dynamicChunkSize: false\`)`
        : `Chunk size ${upload.chunkSize / MiB} MiB for both chunked senders: ours is core \`sendChunks\` (one XHR PUT per chunk, \`Content-Range\`, 308 → next), the peer is \`@mux/upchunk\` (\`dynamicChunkSize: false\`)`) +
      "; the floor is one `fetch` PUT of the whole file. Each upload creates a new direct upload through " +
      "`createVideoRoutes`; the emulator writes the bytes to disk. MB = 10⁶ bytes; medians of the runs shown, method order rotated per run.",
    "",
  ];
  const row = (label, runs, speeds) => [
    label,
    String(runs),
    `**${mb(speeds.ours)}**`,
    mb(speeds.upchunk),
    mb(speeds.rawPut),
    x(speeds.ours / speeds.upchunk),
    x(speeds.ours / speeds.rawPut),
  ];
  const sinkRow = upload.throughput.find((t) => t.sinkMbPerSecond);
  const rows = upload.throughput.map((t) =>
    row(`${sizeLabel(t.size)} → emulator${t.viaComponents ? " (through VideoUploader / MuxUploader)" : ""}`, t.runs, t.mbPerSecond),
  );
  for (const t of upload.throughput) if (t.sinkMbPerSecond) rows.push(row(`${sizeLabel(t.size)} → discard sink (client only)`, t.sinkRuns, t.sinkMbPerSecond));
  lines.push(table(["file → server", "runs", "ours (chunked)", "@mux/upchunk", "single fetch PUT", "ours ÷ upchunk", "ours ÷ single PUT"], rows));
  lines.push(
    "",
    "The largest file goes through the full components (ours: `VideoUploader` on our sender; peer: `MuxUploader` on upchunk; " +
      "same runs as section 4), since upchunk needs minutes per GiB here and separate runs would not fit the bench's time. " +
      "The *discard sink* is a route on the bench server that speaks the same protocol (308 + `Range` per chunk, 200 at the end) and keeps nothing: " +
      "it shows what each client costs without the emulator's disk writes.",
  );
  if (sinkRow?.sinkMbPerSecond.oursFetch) {
    lines.push(
      "",
      `Our sender with its \`fetch\` requester instead of the default XHR one, to the sink: ${mb(sinkRow.sinkMbPerSecond.oursFetch)} ` +
        `(XHR: ${mb(sinkRow.sinkMbPerSecond.ours)}, ratio fetch ÷ XHR ${x(sinkRow.sinkMbPerSecond.oursFetch / sinkRow.sinkMbPerSecond.ours)}). ` +
        "XHR is the default in browsers because only it reports progress within a chunk; `uploadOptions.request` picks fetch.",
    );
  }
  const largest = upload.throughput.find((t) => t.heap);
  if (largest) {
    const peak = (h) => `${((h.peak - h.baseline) / 1e6).toFixed(1)} MB over a ${(h.baseline / 1e6).toFixed(1)} MB baseline`;
    lines.push(
      "",
      `Peak JS heap growth during the ${sizeLabel(largest.size)} upload (CDP \`Runtime.getHeapUsage\` every 100 ms, used size + ArrayBuffer backing stores where reported): ` +
        `ours ${peak(largest.heap.ours)}; @mux/upchunk ${peak(largest.heap.upchunk)}; single PUT ${peak(largest.heap.rawPut)}.`,
    );
    headlines.push(`peak JS heap during a ${sizeLabel(largest.size)} upload: ours +${((largest.heap.ours.peak - largest.heap.ours.baseline) / 1e6).toFixed(1)} MB vs @mux/upchunk +${((largest.heap.upchunk.peak - largest.heap.upchunk.baseline) / 1e6).toFixed(1)} MB`);
  }
  for (const t of upload.throughput) headlines.push(`upload ${sizeLabel(t.size)}: ours ÷ @mux/upchunk **${x(t.mbPerSecond.ours / t.mbPerSecond.upchunk)}**, ours ÷ single PUT ${x(t.mbPerSecond.ours / t.mbPerSecond.rawPut)}`);
  const slowerThanPut = upload.throughput.filter((t) => t.mbPerSecond.ours < t.mbPerSecond.rawPut);
  const sink = upload.throughput.find((t) => t.sinkMbPerSecond);
  if (slowerThanPut.length) {
    lines.push(
      "",
      ...(sink
        ? [
            `Against the discard sink ours reaches ${x(sink.sinkMbPerSecond.ours / sink.sinkMbPerSecond.rawPut)} of the single PUT ` +
              `(${mb(sink.sinkMbPerSecond.ours)} vs ${mb(sink.sinkMbPerSecond.rawPut)}), against the emulator ${x(sink.mbPerSecond.ours / sink.mbPerSecond.rawPut)}: ` +
              "the part of the gap that appears only with the emulator is the emulator's per-chunk commit, the rest is the chunk round trips.",
            "",
          ]
        : []),
      "**Where we lose: the single PUT is faster.** Why: a chunked upload waits for the server's `308` after every chunk before sending the next " +
        "(GCS resumable semantics are sequential), and each chunk is a new request the server checks and appends (the emulator appends it straight to " +
        "the upload's file after checking the offset, and saves its store only when the total is first known), while a single PUT is one request. " +
        "A single PUT cannot resume, cannot retry a failed chunk and (with `fetch`) reports no progress, so it is the floor, not an alternative. " +
        "The adaptive chunk size already grows the chunks on a fast link; the rest is the first small chunks and XHR's own cost (see fetch ÷ XHR above).",
    );
  }
  const slowerThanUpchunk = upload.throughput.filter((t) => t.mbPerSecond.ours < 0.9 * t.mbPerSecond.upchunk);
  if (slowerThanUpchunk.length) {
    lines.push(
      "",
      `**Where we lose to @mux/upchunk** (${slowerThanUpchunk.map((t) => sizeLabel(t.size)).join(", ")}): both send the same chunks in the same order, ` +
        "so the difference is per-chunk client work: ours slices the Blob and hands the slice to XHR (the browser streams it from blob storage), " +
        "upchunk reads the file through `file.stream()` into Blobs. Compare the sink rows above (client only) before blaming either; what would " +
        "close a real gap is sending the next chunk's request as soon as the previous 308 arrives without waiting for a progress/state update.",
    );
  }
  return lines.join("\n");
}

/** Section 1.1: first-load JS of Next.js App Router routes (bench/next-first-load.mjs), and every bundler side by side. */
function nextSection(next, size, headlines) {
  const bundlers = Object.keys(next.builds);
  const name = (bundler) => (bundler === "webpack" ? "Next webpack" : bundler === "turbopack" ? "Next Turbopack" : `Next ${bundler}`);
  const route = (bundler, id) => next.builds[bundler].routes[id];
  const own = (bundler, id) => route(bundler, id).gzip - route(bundler, "empty").gzip;
  const peerId = "mux-uploader-react";
  const ours = next.pages.filter((p) => p.id.startsWith("ours"));
  const rows = next.pages.map((page) => [
    page.id === "empty" ? "empty page" : `\`/${page.id}\`: ${page.label}`,
    ...bundlers.flatMap((bundler) => {
      const r = route(bundler, page.id);
      const mine = own(bundler, page.id);
      const vsPeer = page.id === "empty" || page.id === peerId ? "" : `${x(route(bundler, peerId).gzip / r.gzip)} (${x(own(bundler, peerId) / mine)} of the own share)`;
      return [`**${kB(r.gzip)}** (${kB(r.min)} min, ${r.files.length} files)`, page.id === "empty" ? "baseline" : `+${kB(mine)}`, vsPeer];
    }),
  ]);
  const header = ["route", ...bundlers.flatMap((b) => [`${name(b)}: first load, gzip`, `${name(b)}: over the empty page`, `${name(b)}: vs @mux/mux-uploader-react`])];
  const verdicts = bundlers.map((bundler) => {
    const peer = route(bundler, peerId).gzip;
    const losing = ours.filter((p) => route(bundler, p.id).gzip >= peer);
    return { bundler, peer, losing };
  });
  for (const { bundler, peer } of verdicts) {
    headlines.push(
      `Next.js ${next.next} (${bundler}) first load, gzip, framework included: ` +
        ours.map((p) => `${p.label.replace(/: VideoProvider \+ /, " ")} ${kB(route(bundler, p.id).gzip)}`).join(", ") +
        ` vs @mux/mux-uploader-react ${kB(peer)} (empty page ${kB(route(bundler, "empty").gzip)})`,
    );
  }
  const mismatched = bundlers.flatMap((bundler) => next.pages.filter((p) => route(bundler, p.id).htmlScriptsMatch === false).map((p) => `${name(bundler)} \`/${p.id}\``));
  const lines = [
    "## 1.1 Next.js App Router first load (what the browser loads before the page hydrates)",
    "",
    `One Next.js ${next.next} App Router app (the example studio's version), \`next build\` for production, built twice: with webpack (\`--webpack\`) and with Turbopack ` +
      `(${bundlers.map((b) => `${name(b)} ${Math.round(next.builds[b].seconds)} s`).join(", ")} here). One route per consumer of section 1, the same source in a \`"use client"\` file that a ` +
      "server page renders, plus an empty route (a `\"use client\"` component rendering one `<div>`): the framework baseline every route pays. `lesson-video-kit` is installed in the " +
      "app's `node_modules` as the package build makes it (section 1's build, with the repository's `package.json` and its `exports` map), the rest resolves from the repository's node_modules (`bench/next-first-load.mjs`). " +
      "*First load* is every JS file the route's HTML loads before hydration, read from Next's manifests: `build-manifest.json`'s `rootMainFiles` (React, Next's client runtime, the bundler runtime; " +
      "`polyfillFiles` are `noModule` and not counted) plus, from the route's `page_client-reference-manifest.js`, Turbopack's `entryJSFiles` and the `chunks` of each client module the route renders " +
      "(webpack lists only those). Each file gzipped at level 9 and added, nothing subtracted. " +
      (mismatched.length
        ? `The prerendered HTML's \`<script src>\` list differs from the manifests for ${mismatched.join(", ")}.`
        : "For every route the list equals the prerendered HTML's `<script src>` tags (module scripts).") +
      " *Over the empty page* is the route minus the baseline: the consumer's own share, comparable with section 1's figures (React excluded there). " +
      "Chunks loaded later with `import()` (our uploader's views once the drop zone shows, the upload's work on the first `start()`, the player) are not in the first load.",
    "",
    table(header, rows),
    "",
    ...verdicts.flatMap(({ bundler, peer, losing }, i) => [...(i ? [""] : []),
      losing.length
        ? `**Where we lose (${name(bundler)}):** ${losing.map((p) => `\`/${p.id}\` ${kB(route(bundler, p.id).gzip)}`).join(", ")} ${losing.length === 1 ? "is" : "are"} not below the @mux/mux-uploader-react page (${kB(peer)}); ` +
          "the goal is every kit page below it." +
          (losing.some((p) => p.id === "ours-lessonform")
            ? ` LessonForm renders a whole lesson form (its fields, validation, save state and the uploader) where the peer's page has only an upload button; its own share is ${kB(own(bundler, "ours-lessonform"))} (issue 27's goal: ≤ 24 kB), the peer's ${kB(own(bundler, peerId))}.`
            : "")
        : `${name(bundler)}: every kit page is below the @mux/mux-uploader-react page (${kB(peer)}).`,
    ]),
  ];
  // Every bundler side by side for the root and `/uploader` entries, each with the peer of the same run.
  const bySize = (id) => size?.rows.find((r) => r.id === id);
  const crossIds = ["ours-uploader", "ours-uploader-entry", "ours-lessonform", peerId];
  const crossRows = crossIds.map((id) => {
    const label = next.pages.find((p) => p.id === id)?.label ?? bySize(id)?.label ?? id;
    const s = bySize(id);
    return [
      label,
      s ? kB(s.initialGzip) : "—",
      s?.vite ? kB(s.vite.initialGzip) : "—",
      ...bundlers.map((bundler) => `${kB(own(bundler, id))} (route ${kB(route(bundler, id).gzip)})`),
    ];
  });
  lines.push(
    "",
    "### First loads by bundler and entry (VideoProvider + VideoUploader from the root and from `/uploader`, LessonForm, the peer)",
    "",
    "Initial JS, min+gzip, of the same page with each bundler" +
      (size ? ", from the same run" : " (section 1 not run with these figures)") +
      ": esbuild and Vite as in section 1 (React external); Next as above, the route minus the empty page (the route's whole first load in parentheses).",
    "",
    table(["page", "esbuild", "Vite", ...bundlers.map(name)], crossRows),
  );
  return lines.join("\n");
}

function renderSection(upload, headlines) {
  const r = upload.render[0];
  if (!r) return "";
  const ratio = r.commits.muxUploaderReact / r.commits.oursReact;
  headlines.push(`React commits of the uploader during a ${sizeLabel(r.size)} upload: ours ${r.commits.oursReact} vs @mux/mux-uploader-react + progress state ${r.commits.muxUploaderReact} (**${x(ratio)}**)`);
  const lines = [
    "## 4. Render cost (React commits of the uploader subtree during an upload)",
    "",
    `A ${sizeLabel(r.size)} upload, React's profiling build, \`<Profiler onRender>\` around the uploader. Ours: \`<VideoProvider><VideoUploader/></VideoProvider>\`, ` +
      "the upload started through the provider's controller as a drop would (the same runs as the largest row of section 2); progress reaches React through `useFrameCoalescedUploadState` " +
      "(at most one commit per animation frame and four a second for progress-only changes; status changes at once). Peer: `<MuxUploader>` from `@mux/mux-uploader-react` " +
      "with `onProgress={(e) => setProgress(e.detail)}` rendering the percentage, the usual way to show progress in React. Counted from the start of the upload until " +
      "the bytes are all sent (ours: status `processing`; peer: `success`). Medians.",
    "",
    table(
      ["", "runs", "commits", "MB/s during the run"],
      [
        ["ours: VideoUploader", String(r.runs), `**${r.commits.oursReact}**`, mb(r.mbPerSecond.oursReact)],
        ["@mux/mux-uploader-react + progress in state", String(r.runs), String(r.commits.muxUploaderReact), mb(r.mbPerSecond.muxUploaderReact)],
      ],
    ),
    "",
    `Ratio (peer ÷ ours): **${x(ratio)}**.` +
      (r.oursCommitsByStatus?.[0]
        ? ` Our commits by the upload status they rendered (first run): ${Object.entries(r.oursCommitsByStatus[0]).map(([status, n]) => `${status} ${n}`).join(", ")}.`
        : ""),
  ];
  if (r.commits.oursReact > r.commits.muxUploaderReact) {
    lines.push(
      "",
      `**Where we lose:** ours commits more often: ${(r.commits.oursReact / (r.size / 1e6 / r.mbPerSecond.oursReact)).toFixed(1)} commits per second of upload ` +
        `against the peer's ${(r.commits.muxUploaderReact / (r.size / 1e6 / r.mbPerSecond.muxUploaderReact)).toFixed(1)}. Why: frame coalescing only merges ` +
        "changes that land within one animation frame (16 ms); our progress changes come less often than that (XHR upload `progress` ticks, " +
        "each chunk's acknowledgement, speed/ETA updates), so nearly every one becomes a commit, while upchunk emits only XHR progress ticks and on " +
        "loopback a chunk's body is often gone before the first tick. What would close it: deliver progress-only changes on a fixed budget " +
        "(e.g. at most 4 per second, or when the rounded percentage or the displayed speed changes) in `src/react/use-frame-coalesced-store.ts` " +
        "(owner: react layer); status changes would stay immediate.",
    );
  }
  return lines.join("\n");
}

function statusSection(status, headlines) {
  const by = (id, n) => status.results.find((r) => r.id === id && r.components === n);
  const counts = [1, 50];
  const rows = [];
  for (const n of counts) {
    for (const id of ["ours-sse", "ours-poll", "naive"]) {
      const r = by(id, n);
      rows.push([
        String(n),
        r.label,
        `${id === "naive" ? "" : "**"}${r.requests}${id === "naive" ? "" : "**"}`,
        `${r.clientRequests.getAsset} GET + ${r.clientRequests.events} stream`,
        String(r.backendPolls),
        ms(r.allSawReadyAfterMs),
        id === "naive" ? "" : x(by("naive", n).requests / r.requests),
      ]);
    }
  }
  const sse50 = by("ours-sse", 50);
  const poll50 = by("ours-poll", 50);
  const naive50 = by("naive", 50);
  headlines.push(`status requests, 50 components watching one ${status.processingMs / 1000} s asset: ours (SSE) ${sse50.requests} (${sse50.clientRequests.getAsset} poll${sse50.clientRequests.getAsset === 1 ? "" : "s"}), ours polling ${poll50.requests}, naive 1 s pollers ${naive50.requests} → **${x(naive50.requests / sse50.requests)}** / **${x(naive50.requests / poll50.requests)}** fewer`);
  const lines = [
    "## 3. Status traffic (components watching one asset while it processes)",
    "",
    `One asset per scenario takes ${status.processingMs / 1000} s to process in the emulator (its processing delay); all scenarios run at once against ` +
      "`createVideoRoutes` + emulator, and the server counts requests per asset id. Ours: one `AssetWatcher` shared by N subscribers (what N " +
      "`useAsset`/`VideoUploader`s under one `VideoProvider` do) over `createHttpTransport`, with server-sent events (the default) or polling only " +
      "(`events: false`: 1 s growing ×1.5 to a 10 s cap). Peer: a `setInterval(() => fetch(GET /assets/:id), 1000)` per component. " +
      "*Backend polls* are the server's calls to Mux (here the emulator) for that asset: the asset cache serves everyone from memory.",
    "",
    table(["components", "client", "requests", "of which", "backend polls", "all saw `ready` after", "naive ÷ ours"], rows),
  ];
  const pollLate = counts.filter((n) => by("ours-poll", n).allSawReadyAfterMs > by("naive", n).allSawReadyAfterMs + 1500);
  if (pollLate.length) {
    lines.push(
      "",
      `**Where we lose (polling mode only):** without events, ours sees \`ready\` later than the 1 s pollers (${pollLate
        .map((n) => `${n} component${n > 1 ? "s" : ""}: ${ms(by("ours-poll", n).allSawReadyAfterMs)} vs ${ms(by("naive", n).allSawReadyAfterMs)}`)
        .join("; ")}). Why: the backoff reaches its 10 s cap, so the last poll can come up to 10 s after the change. That is the price of ` +
        "polling ~10× less; with events (the default) ours hears `ready` as soon as the server does. What would close it: keep events on, or lower " +
        "`watcherOptions.maxIntervalMs` where a fast update matters more than requests.",
    );
  }
  return lines.join("\n");
}

function serverSection(server, headlines) {
  // Figures saved before the webhook row counted 2xx apart: every answer, refusals included.
  const honest = server.webhook.okPerSecond !== undefined;
  // Runs saved before the server's CPU was read have no CPU column.
  const cpu = server.floor.serverCpuUsPerRequest !== undefined;
  const us = (r) => (r?.serverCpuUsPerRequest === undefined ? "—" : `${r.serverCpuUsPerRequest.toFixed(1)} µs`);
  const s = (r) => [`**${Math.round(r.requestsPerSecond)}**`, ms(r.p50Ms), ms(r.p99Ms), String(r.errors + r.non2xx), ...(cpu ? [us(r)] : [])];
  const statuses = (r) => Object.entries(r.statuses ?? {}).map(([code, n]) => `${n} × ${code}`).join(", ");
  const w = (r) => [`**${Math.round(r.okPerSecond)}** verified (${Math.round(r.requestsPerSecond)} answers)`, ms(r.p50Ms), ms(r.p99Ms), `${r.non2xx} refused (non-2xx) of ${r.requests}, ${r.errors} errors`, ...(cpu ? ["—"] : [])];
  const fetchAuth = server.getAssetFetchAuth;
  headlines.push(
    `server on loopback: GET /assets/:id (cached${fetchAuth ? ", `authorizeNode`" : ""}) ${Math.round(server.getAsset.requestsPerSecond)} req/s, p99 ${ms(server.getAsset.p99Ms)} ` +
      `(${x(server.getAsset.requestsPerSecond / server.floor.requestsPerSecond)} of bare node:http${fetchAuth ? `; with \`authorize(request)\` ${x(fetchAuth.requestsPerSecond / server.floor.requestsPerSecond)}` : ""}); ` +
      (honest
        ? `webhook verification + apply below the caps ${Math.round(server.webhook.okPerSecond)} verified deliveries/s, p99 ${ms(server.webhook.p99Ms)}, ${server.webhook.non2xx} refused`
        : `webhook verification ${Math.round(server.webhook.requestsPerSecond)} req/s, p99 ${ms(server.webhook.p99Ms)}`),
  );
  const load = server.load;
  const mem = (m) => `${(m.rss / 1e6).toFixed(0)} MB RSS, ${(m.heapUsed / 1e6).toFixed(1)} MB heap`;
  return [
    "## 5. Server (createVideoRoutes on node:http, loopback)",
    "",
    `autocannon, keep-alive, 50 connections, ${server.runs} runs of ${server.seconds} s, medians. The routes, \`createMuxBackend\` and the emulator run in one ` +
      "child process; autocannon in another. " +
      (fetchAuth
        ? "The status rows are a signed-in user reading their own ready video, with a session cookie the host's sign-in reads: through " +
          "`authorizeNode(req)` (Node's request; no Fetch `Request` built) and through `authorize(request)` (a Fetch `Request` per request). " +
          `*Floor*: the same server answering the very bytes the status route answered (its ${server.responseBytes}-byte JSON and its headers) with no routing, auth or cache, i.e. ` +
          "what node:http itself costs here. *Server CPU / request*: the server process's user + system CPU time over a run ÷ the requests it answered."
        : "*Floor*: the same server answering a fixed asset-sized JSON with no routing, auth or cache, i.e. what node:http itself costs here.") +
      " Webhooks: every request is a new `video.asset.updated` event signed like Mux (`mux-signature`, HMAC-SHA256), " +
      "so each one is verified, checked against replays and applied to the cache." +
      (honest
        ? ` The webhook rows count **verified deliveries per second** (2xx answers: verified, not a replay, applied); refusals (non-2xx) are counted apart. ` +
          `The bench's routes set the webhook caps above the load (\`webhooks.maxConcurrent\` ${server.webhook.caps?.maxConcurrent} for ${server.connections ?? 50} connections, ` +
          `\`webhooks.perIp\` ${server.webhook.caps?.perIp?.limit?.toLocaleString("en-US")} a minute), so that row measures verification, not refusals. ` +
          "The second webhook row sends the same load to routes with the default caps (16 deliveries at once, a per-IP limit of 600 a minute): what those caps refuse, " +
          "which is their job (Mux retries a refused delivery), not a speed."
        : " These figures predate the split: the webhook row counts every answer, refusals (concurrency cap, per-IP limit) included."),
    "",
    table(
      ["route", "req/s", "p50", "p99", honest ? "errors / refusals" : "errors", ...(cpu ? ["server CPU / request"] : [])],
      [
        ...(fetchAuth
          ? [
              ["GET /assets/:id (ready asset, from the cache), signed in by `authorizeNode(req)`", ...s(server.getAsset)],
              ["GET /assets/:id, the same, signed in by `authorize(request)`", ...s(fetchAuth)],
              ["floor: bare node:http, the same bytes", ...s(server.floor)],
            ]
          : [
              ["GET /assets/:id (ready asset, from the cache)", ...s(server.getAsset)],
              ["floor: bare node:http JSON", ...s(server.floor)],
            ]),
        ...(honest
          ? [
              ["POST /webhooks/mux, caps above the load (verify + replay check + apply)", ...w(server.webhook)],
              ...(server.webhookDefaultCaps
                ? [["POST /webhooks/mux, default caps, same load", ...w(server.webhookDefaultCaps)]]
                : []),
            ]
          : [["POST /webhooks/mux (verify + replay check + cache)", ...s(server.webhook)]]),
      ],
    ),
    ...(honest && server.webhookDefaultCaps
      ? ["", `Answers with the default caps, by status: ${statuses(server.webhookDefaultCaps) || "none"} (429: per-IP limit, 503: more than 16 at once). With the caps above the load: ${statuses(server.webhook) || "none"}.`]
      : []),
    "",
    `GET /assets/:id reached the backend ${server.backendCallsDuringGet} time(s) during all those requests. Ours ÷ floor: ${x(server.getAsset.requestsPerSecond / server.floor.requestsPerSecond)}` +
      (fetchAuth ? ` with \`authorizeNode\`, ${x(fetchAuth.requestsPerSecond / server.floor.requestsPerSecond)} with \`authorize(request)\`` : "") +
      (cpu ? `; by server CPU per request (floor ÷ ours), ${x(server.floor.serverCpuUsPerRequest / server.getAsset.serverCpuUsPerRequest)}${fetchAuth ? ` and ${x(server.floor.serverCpuUsPerRequest / fetchAuth.serverCpuUsPerRequest)}` : ""}` : "") +
      ".",
    ...(server.getAsset.requestsPerSecond < 0.5 * server.floor.requestsPerSecond && fetchAuth
      ? [
          "",
          "**Where we lose to the floor:** a cached `GET /assets/:id` costs the server " +
            `${(server.getAsset.serverCpuUsPerRequest / server.floor.serverCpuUsPerRequest).toFixed(1)}× the CPU node:http alone does (` +
            `${(fetchAuth.serverCpuUsPerRequest / server.floor.serverCpuUsPerRequest).toFixed(1)}× with \`authorize(request)\`). Both pay the same ` +
            "system calls (one `read` and one `writev` per request, counted with `strace -c`), but not the same time in them: in a " +
            "`--cpu-prof` of each row (2026-12-07, 100 µs sampling) the `writev` of the same bytes took about 40 µs per request for the route " +
            "and 25 µs for the floor, the largest part of the gap; garbage collection (7% of the route's samples, 1% of the floor's) and " +
            "JavaScript spread over the URL and `Host` checks, route matching, sign-in, the ownership check, the asset cache behind async " +
            "calls and the CORS headers (none above 3%) make the rest. `authorizeNode` removes the largest part JavaScript had, the Fetch `Request` that " +
            "`authorize` is given (its `Headers` and the `AbortSignal` tied to the connection). With `authorize(request)` that `Request` is built " +
            "for every signed-in request, because the host's code reads it.",
        ]
      : []),
    ...(server.getAsset.requestsPerSecond < 0.5 * server.floor.requestsPerSecond && !fetchAuth
      ? [
          "",
          "**Where we lose to the floor:** a cached `GET /assets/:id` costs about " +
            `${x(server.floor.requestsPerSecond / server.getAsset.requestsPerSecond)} what node:http alone does. \`toNodeHandler\` answers ` +
            "`createVideoRoutes`' handler through the routes' own Node entry: no `Response` and no body stream (the JSON is written as text), the " +
            "owner key and the token-free asset JSON remembered, route matching and the URL without per-request parsing. What is left is mostly " +
            "the host's contract: `authorize` takes a Fetch `Request`, so one is built per signed-in request, with its `Headers` and the " +
            "`AbortSignal` that aborts when the client goes away (in a `--cpu-prof` of this row about a seventh of the server's CPU, plus the " +
            "garbage it leaves). The floor row is bounded by the autocannon client, which shares the machine's cores with the server.",
        ]
      : []),
    "",
    `### Load (issue 8): 200 concurrent status pollers + 20 concurrent chunked uploads for ${load.seconds} s`,
    "",
    "200 autocannon connections each polling `GET /assets/:id` once a second (a naive poller's rate; ours polls less), and 20 loops each creating an upload through `POST /uploads` and sending " +
      "16 MiB in 4 MiB chunks (core `sendChunks`, fetch) to the emulator, all at once.",
    "",
    table(
      ["", "figure"],
      [
        ["status polls", `${Math.round(load.pollers.requestsPerSecond)} req/s, p50 ${ms(load.pollers.p50Ms)}, p99 ${ms(load.pollers.p99Ms)}, ${load.pollers.requests} requests`],
        ["poll errors / non-2xx", `${load.pollers.errors} / ${load.pollers.non2xx}`],
        ["uploads", `${load.uploads.completed} completed, ${load.uploads.failed} failed, ${mb(load.uploads.mbPerSecond)} in total`],
        ["POST /uploads latency", `p50 ${ms(load.uploads.createP50Ms)}, p99 ${ms(load.uploads.createP99Ms)}`],
        ["server memory (after GC)", `before ${mem(load.memoryBefore)} → after ${mem(load.memoryAfter)}`],
      ],
    ),
  ].join("\n");
}

function redisSection(redis, headlines) {
  const by = (id) => redis.results.find((r) => r.id === id);
  const one = by("one");
  const shared = by("three-redis");
  const local = by("three-local");
  const lag = (r) => r.allSawReadyAfterMs - r.firstSawReadyAfterMs;
  headlines.push(
    `three instances on Redis vs one, ${redis.viewers} viewers of a ${redis.processingMs / 1000} s asset: backend polls ${shared.backendPolls} vs ${one.backendPolls} ` +
      `(three without Redis: ${local.backendPolls}); last viewer saw \`ready\` ${ms(lag(shared))} after the first (without Redis: ${ms(lag(local))})`,
  );
  const rows = redis.results.map((r) => [
    r.label,
    String(r.viewers),
    `**${r.backendPolls}**${r.instances > 1 ? ` (${r.backendPollsPerInstance.join(" + ")})` : ""}`,
    `${r.requests.getAsset} GET + ${r.requests.events} stream${r.requests.events === 1 ? "" : "s"}`,
    ms(r.firstSawReadyAfterMs),
    `**${ms(r.allSawReadyAfterMs)}**`,
    ms(lag(r)),
  ]);
  return [
    "## 6. Several instances on Redis (status traffic, three instances vs one)",
    "",
    `The status-traffic scenario of section 3 on several server instances. One asset per deployment takes ${redis.processingMs / 1000} s to process in one shared emulator; ` +
      `${redis.viewers} viewers watch it, each with its own \`AssetWatcher\` over \`createHttpTransport\` (server-sent events), spread round-robin over the deployment's instances ` +
      "as a load balancer would; Mux's webhooks reach one instance. Each instance is a `createVideoRoutes` process of its own; *backend polls* are the calls " +
      `all of a deployment's instances made to the backend for that asset. Redis ${redis.redisVersion} (Debian's \`redis-server\`, no persistence) on loopback, ` +
      "stores from `lesson-video-kit/server/redis` (shared asset cache with a per-asset refresh claim, asset events over pub/sub, shared replay protection). " +
      "All deployments run at once.",
    "",
    table(["deployment", "viewers", "backend polls", "client requests", "first saw `ready` after", "all saw `ready` after", "last behind first"], rows),
    "",
    `With Redis, three instances ask the backend about as often as one (${shared.backendPolls} vs ${one.backendPolls}): the refresh claim lets one instance poll per interval ` +
      `and the others read its answer. Without Redis each instance polls on its own (${local.backendPolls}), and viewers on the instances that did not receive ` +
      `the webhook hear \`ready\` only from their next poll (up to the 5 s poll interval later: ${ms(lag(local))} behind the first viewer here, ${ms(lag(shared))} with Redis).`,
  ].join("\n");
}

/** Section 7: a growing source's memory against the same bytes as a Blob (bench/stream-memory.mjs). */
function streamSection(stream, headlines) {
  const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;
  const chunks = (bytes) => (bytes / stream.chunkSize).toFixed(1);
  headlines.push(
    `peak memory held while uploading ${stream.size / MiB} MiB, stream vs Blob: +${mib(stream.peakBytes.stream)} vs +${mib(stream.peakBytes.blob)} (stream ÷ Blob ${stream.ratio.toFixed(2)}×, ${chunks(stream.peakBytes.stream)} chunks)`,
  );
  const row = (kind, label) =>
    `| ${label} | ${stream.samples[kind].length} | +${mib(stream.peakBytes[kind])} (${chunks(stream.peakBytes[kind])} chunks) | +${mib(stream.unforcedPeakBytes[kind])} | ${stream.samples[kind].map((s) => (stream.size / 1e6 / s.seconds).toFixed(1)).join(", ")} MB/s |`;
  return [
    "## 7. A growing source's memory (a stream of unknown length vs the same bytes as a Blob)",
    "",
    `\`UploadController\` + \`sendChunks\` in Node (fetch requester) → \`createVideoRoutes\` → emulator, the stack in its own process. The same ${stream.size / MiB} MiB, ` +
      `once as a \`ReadableStream\` producing ${stream.pieceSize / 1024} KiB pieces on demand (a \`GrowingSource\`, sent with \`bytes a-b/*\`) and once as a \`File\` made before the upload, ` +
      `chunk size ${stream.chunkSize / MiB} MiB, order alternated per run (\`bench/stream-memory.mjs\`). Memory: V8 used heap + ArrayBuffer backing stores over a baseline taken after full GCs with the source made. ` +
      "*Held*: sampled every 10 ms right after a forced full GC (what the upload keeps alive); *unforced*: every 2 ms without forcing GC. Peaks are the largest of the runs.",
    "",
    "| source | runs | held peak | unforced peak | speed per run |",
    "| --- | --- | --- | --- | --- |",
    row("stream", `stream (${stream.size / MiB} MiB in ${stream.pieceSize / 1024} KiB pieces)`),
    row("blob", `Blob (${stream.size / MiB} MiB)`),
    "",
    `The stream holds ${chunks(stream.peakBytes.stream)} chunk sizes at its peak (the chunk being sent as a Blob, the pieces it was read in until V8's ` +
      "background sweeper frees them, and the request's own copy); the Blob's bytes are the file's own and the sender holds slices of them. " +
      "Both stay a few chunk sizes; neither grows with the file.",
  ].join("\n");
}

/** Section 8: a course's files at once (bench/queue.mjs). */
function queueSection(queue, headlines) {
  const s = (seconds) => `${seconds.toFixed(1)} s`;
  const runsOf = (samples = []) => samples.map((t) => s(t)).join(", ");
  const total = (queue.files * queue.size) / 1e6;
  const mbps = (seconds) => `${(total / seconds).toFixed(1)} MB/s`;
  const vsSequential = queue.seconds.sequential / queue.seconds.queueDefault;
  const vsUpchunk = queue.seconds.upchunkSequential / queue.seconds.queueDefault;
  headlines.push(
    `${queue.files} files × ${queue.size / MiB} MiB: the queue at its default concurrency (${queue.defaultConcurrency}) took ${s(queue.seconds.queueDefault)}, ` +
      `one after another ${s(queue.seconds.sequential)} (${vsSequential.toFixed(2)}×), @mux/upchunk one after another ${s(queue.seconds.upchunkSequential)} (${vsUpchunk.toFixed(2)}×); ` +
      `${queue.commits.commits} React commits for ${queue.commits.items} items`,
  );
  const heapMiB = queue.heap ? ((queue.heap.peak - queue.heap.baseline) / MiB).toFixed(1) : "n/a";
  return [
    "## 8. A course at once (the upload queue)",
    "",
    `${queue.files} distinct files of ${queue.size / MiB} MiB on disk, picked in headless Chromium and sent to the emulator on loopback through \`createVideoRoutes\` ` +
      `(\`bench/queue.mjs\`, median of ${queue.runs} runs, method order rotated per run). Time from adding the files until every byte is at the server (processing is pushed past the bench). ` +
      "*One after another*: one `UploadController` per file, each started when the previous one's bytes are sent (a page with one uploader per lesson); " +
      "*@mux/upchunk*: `UpChunk.createUpload` per file with its default chunk size, one after another.",
    "",
    "| method | time | throughput | ÷ queue at default | each run |",
    "| --- | --- | --- | --- | --- |",
    `| \`UploadQueue\`, default concurrency (${queue.defaultConcurrency}) | **${s(queue.seconds.queueDefault)}** | ${mbps(queue.seconds.queueDefault)} | 1.00× | ${runsOf(queue.samples.queueDefault)} |`,
    ...Object.entries(queue.byConcurrency).map(
      ([c, t]) => `| \`UploadQueue\`, concurrency ${c} | ${s(t)} | ${mbps(t)} | ${(t / queue.seconds.queueDefault).toFixed(2)}× | ${runsOf(queue.samples.byConcurrency[c])} |`,
    ),
    `| one \`UploadController\` after another | ${s(queue.seconds.sequential)} | ${mbps(queue.seconds.sequential)} | ${vsSequential.toFixed(2)}× | ${runsOf(queue.samples.sequential)} |`,
    `| @mux/upchunk, one after another | ${s(queue.seconds.upchunkSequential)} | ${mbps(queue.seconds.upchunkSequential)} | ${vsUpchunk.toFixed(2)}× | ${runsOf(queue.samples.upchunkSequential)} |`,
    "",
    `Peak JS heap over the page's baseline during the first queue run: +${heapMiB} MiB (the files are read from disk a chunk at a time; nothing holds a whole file). ` +
      `A \`BulkUploader\` given ${queue.commits.items} files of ${Math.round((queue.commitSize ?? 0) / 1024)} KiB at concurrency 3 committed **${queue.commits.commits}** times ` +
      `until all were sent (${(queue.commits.commits / queue.commits.items).toFixed(1)} per item; ${queue.commits.rows} rows rendered): status changes render at once, progress at most once a frame, and rows whose item did not change are not rendered again. ` +
      "Several uploads at once overlap one upload's waits (each chunk's round trip, the emulator committing it) with another's bytes. " +
      "The machine is shared and single runs vary a lot (the *each run* column); read the ratios, not the speeds.",
  ].join("\n");
}

/** Section 9: recording in the browser, Stop → every byte at the server (bench/recording.mjs). */
function recordingSection(recording, headlines) {
  const s = (seconds) => `${seconds.toFixed(2)} s`;
  const ratio = recording.stopToSentSeconds.afterStop / recording.stopToSentSeconds.whileRecording;
  headlines.push(
    `a ${recording.seconds} s recording at ${recording.bitsPerSecond / 1e6} Mbit/s: Stop → every byte at the server in ${s(recording.stopToSentSeconds.whileRecording)} uploading while recording, ` +
      `${s(recording.stopToSentSeconds.afterStop)} recording first (${ratio.toFixed(1)}× sooner)`,
  );
  const heapMiB = (key) => (recording.heap[key] ? `+${((recording.heap[key].peak - recording.heap[key].baseline) / 1024 / 1024).toFixed(1)} MiB` : "n/a");
  return [
    "## 9. Recording in the browser (Stop → the upload has every byte)",
    "",
    `A canvas animation (1280×720, 30 fps) with a tone, recorded by Chromium's \`MediaRecorder\` at ${recording.bitsPerSecond / 1e6} Mbit/s for ${recording.seconds} s ` +
      `(${(recording.recordedBytes / 1e6).toFixed(1)} MB), to the emulator on loopback through \`createVideoRoutes\` (\`bench/recording.mjs\`, ${recording.runs} run${recording.runs === 1 ? "" : "s"} of each). ` +
      "Measured: from Stop until the upload reaches processing. *While recording*: `MediaRecording`'s growing source sent by `UploadController` during the recording (1 MiB chunks); " +
      "*recording first*: the same recorder, then the file uploaded after Stop with the same `UploadController` (what record-then-upload tools do).",
    "",
    "| method | Stop → all bytes at the server | each run | page heap peak (Start → all sent) |",
    "| --- | --- | --- | --- |",
    `| upload while recording (the kit) | **${s(recording.stopToSentSeconds.whileRecording)}** | ${recording.samples.whileRecording.map(s).join(", ")} | ${heapMiB("whileRecording")} |`,
    `| record, then upload | ${s(recording.stopToSentSeconds.afterStop)} | ${recording.samples.afterStop.map(s).join(", ")} | ${heapMiB("afterStop")} |`,
    "",
    `The page's uplink is held to ${recording.uplinkMbps ?? "unlimited"} Mbit/s (Chromium's network emulation), a creator's home connection rather than loopback. ` +
      "Uploading while recording leaves only what has not filled a chunk (under 1 MiB) and the recorder's last piece after Stop, whatever the recording's length; " +
      "recording first sends it all after Stop, so its wait grows with the recording. " +
      "The heap column is sampled from Start until every byte is sent, so the record-first peak includes sending the whole file after Stop; the recording's pieces themselves are Blobs, kept outside the JS heap for the review.",
  ].join("\n");
}

export function renderResults({ machine, results }) {
  const headlines = [];
  const sections = [];
  if (results.size) sections.push(sizeSection(results.size, headlines));
  if (results.next) sections.push(nextSection(results.next, results.size, headlines));
  if (results.upload) sections.push(uploadSection(results.upload, headlines));
  if (results.status) sections.push(statusSection(results.status, headlines));
  if (results.upload) sections.push(renderSection(results.upload, headlines));
  if (results.server) sections.push(serverSection(results.server, headlines));
  if (results.redis) sections.push(redisSection(results.redis, headlines));
  if (results.stream) sections.push(streamSection(results.stream, headlines));
  if (results.queue) sections.push(queueSection(results.queue, headlines));
  if (results.recording) sections.push(recordingSection(results.recording, headlines));
  return [
    "# Benchmarks",
    "",
    `Rewritten by \`${machine.command}\` (bench/run.mjs); do not edit by hand.${machine.quick ? " **Quick mode: small sizes, one run — not for citing.**" : ""}`,
    "",
    `Machine: ${machineLine(machine)}.`,
    "",
    "Ratios read \"times better than the peer\": above 1× we win, below 1× we lose. Figures come from one run on one shared machine; " +
      "speeds and latencies move with its load, counts and sizes do not.",
    "",
    "## Headlines",
    "",
    ...headlines.map((h) => `- ${h}`),
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
}
