// Every story in Arabic, right to left, on a phone.
import "@testing-library/jest-dom/vitest";
import arabic from "../../../src/locales/ar.js";
import { everyStoryIn } from "./render-in-locale.js";

everyStoryIn(arabic);
