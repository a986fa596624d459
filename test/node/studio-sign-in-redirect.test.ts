// The example studio's sign-in sends the user back to `next` only when a URL parser keeps it on the studio's own
// origin: protocol-relative, backslash, tab/newline and percent-encoded tricks go to the lessons page instead.
import { signInDestination } from "../../examples/lesson-studio/lib/sign-in-redirect.js";

describe("the studio's sign-in destination", () => {
  it.each([
    ["/lessons/new", "/lessons/new"],
    ["/lessons/abc123?tab=video#captions", "/lessons/abc123?tab=video#captions"],
    ["/lessons/a%20b", "/lessons/a%20b"],
    ["/lessons/../sign-in", "/sign-in"],
  ])("follows a path of this site: %j", (next, expected) => {
    expect(signInDestination(next)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%2F/evil.example",
    "https://evil.example/lessons",
    "evil.example",
    "javascript:alert(1)",
    "",
    "/%E0%A4%A",
  ])("sends %j to the lessons page", (next) => {
    expect(signInDestination(next)).toBe("/lessons");
  });
});
