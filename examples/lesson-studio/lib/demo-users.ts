/**
 * The demo's people. Each is a row in `studio_users`; the ids are what `request.jwt.claim.sub` carries, so
 * the lesson access policy decides what each one sees.
 */
export type DemoUserKey = "creator" | "buyer" | "visitor";

export interface DemoUser {
  key: DemoUserKey;
  id: string;
  name: string;
  /** One line under the name on the sign-in page: what this person can do. */
  blurb: string;
  initials: string;
  canCreate: boolean;
}

export const demoUsers: readonly DemoUser[] = [
  {
    key: "creator",
    id: "00000000-0000-4000-8000-00000000c0de",
    name: "Maya Chen",
    blurb: "Creator. Writes lessons, uploads videos, publishes.",
    initials: "MC",
    canCreate: true,
  },
  {
    key: "buyer",
    id: "00000000-0000-4000-8000-0000000b0b0b",
    name: "Sam Rivera",
    blurb: "Student. Bought a lesson before it was published.",
    initials: "SR",
    canCreate: false,
  },
  {
    key: "visitor",
    id: "00000000-0000-4000-8000-00000000f00d",
    name: "Alex Kim",
    blurb: "Visitor. Sees published lessons only.",
    initials: "AK",
    canCreate: false,
  },
];

export function findDemoUser(key: string | undefined): DemoUser | undefined {
  return demoUsers.find((user) => user.key === key);
}

export function demoUserById(id: string): DemoUser | undefined {
  return demoUsers.find((user) => user.id === id);
}
