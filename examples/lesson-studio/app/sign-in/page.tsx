import type { Metadata } from "next";
import { demoUsers } from "@/lib/demo-users";
import { currentUser } from "@/lib/session";
import { signIn, signOut } from "../actions";
import { ArrowRightIcon } from "../_components/icons";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const [{ next }, user] = await Promise.all([searchParams, currentUser()]);
  return (
    <main className="studio-main studio-main--narrow">
      <div className="page-head">
        <div className="page-head__text">
          <span className="eyebrow">Demo sign-in</span>
          <h1>Who are you today?</h1>
          <p className="lede">
            No passwords here. Pick a person to see the studio through their eyes: what they can open is decided by
            the database's access policy, not by the pages.
          </p>
        </div>
      </div>
      <ul className="people">
        {demoUsers.map((person) => (
          <li key={person.key}>
            <form action={signIn}>
              <input type="hidden" name="user" value={person.key} />
              {next ? <input type="hidden" name="next" value={next} /> : null}
              <button
                type="submit"
                className="person"
                aria-current={user?.key === person.key ? "true" : undefined}
                data-testid={`sign-in-${person.key}`}
              >
                <span className="studio-avatar studio-avatar--large" data-user={person.key} aria-hidden="true">
                  {person.initials}
                </span>
                <span className="person__text">
                  <span className="person__name">
                    Continue as {person.name}
                    {user?.key === person.key ? " (signed in)" : ""}
                  </span>
                  <span className="person__blurb">{person.blurb}</span>
                </span>
                <ArrowRightIcon className="person__arrow" />
              </button>
            </form>
          </li>
        ))}
      </ul>
      {user ? (
        <form action={signOut} style={{ marginTop: 24 }}>
          <button type="submit" className="button button--ghost">
            Sign out
          </button>
        </form>
      ) : null}
    </main>
  );
}
