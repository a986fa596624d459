// Testing Library's waits give up after 1 s by default, which a busy 2-core CI machine can miss while Vite
// transforms a lazily imported chunk for the first time. The ceiling is 10 s; every wait still returns as soon as
// its condition holds, so a passing test is no slower.
//
// The live announcer's region repeats what the page shows ("Lesson saved.") 50 ms later, for screen readers: text
// queries ignore it, as Storybook's do (.storybook/preview.tsx), so a query that runs after the 50 ms on a busy
// machine does not find the text twice. Tests of announcements read the region itself.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 10_000, defaultIgnore: "script, style, [data-lvk-announcer]" });
