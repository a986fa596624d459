// Every story in the pseudo-locale (accented, ~35 % longer): the layout takes longer words on a phone.
import "@testing-library/jest-dom/vitest";
import pseudo from "../../../src/locales/en-XA.js";
import { everyStoryIn } from "./render-in-locale.js";

everyStoryIn(pseudo);
