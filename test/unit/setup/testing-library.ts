// Testing Library's waits give up after 1 s by default, which a busy 2-core CI machine can miss while Vite
// transforms a lazily imported chunk for the first time. The ceiling is 10 s; every wait still returns as soon as
// its condition holds, so a passing test is no slower.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 10_000 });
