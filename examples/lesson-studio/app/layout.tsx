import "@fontsource-variable/inter";
import "lesson-video-kit/styles.css";
import "./globals.css";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { currentUser } from "@/lib/session";
import { PlayIcon } from "./_components/icons";

export const metadata: Metadata = {
  title: { default: "Lesson Studio", template: "%s · Lesson Studio" },
  description: "Write video lessons, upload and publish them.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en" data-theme="light">
      <body>
        <header className="studio-header">
          <div className="studio-header__inner">
            <Link href="/lessons" className="studio-brand">
              <span className="studio-brand__mark">
                <PlayIcon size={14} color="#fff" />
              </span>
              <span className="studio-brand__text">Lesson Studio</span>
            </Link>
            <nav className="studio-nav" aria-label="Main">
              <Link href="/lessons">Lessons</Link>
              {user?.canCreate ? <Link href="/lessons/new">New lesson</Link> : null}
            </nav>
            {user ? (
              <div className="studio-user">
                <div className="studio-user__who">
                  <span className="studio-user__name" data-testid="signed-in-user">
                    {user.name}
                  </span>
                  <span className="studio-user__role">{user.key}</span>
                </div>
                <span className="studio-avatar" data-user={user.key} aria-hidden="true">
                  {user.initials}
                </span>
                <Link href="/sign-in" className="button button--ghost button--small">
                  Switch
                </Link>
              </div>
            ) : (
              <Link href="/sign-in" className="button button--primary button--small">
                Sign in
              </Link>
            )}
          </div>
        </header>
        {children}
        <footer className="footer">
          <span>Lesson Studio — an example app for lesson-video-kit.</span>
          <span>Video by {process.env.MUX_TOKEN_ID ? "Mux" : "the local Mux emulator"}</span>
        </footer>
      </body>
    </html>
  );
}
