import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/session";
import { sampleVideoLink } from "@/lib/settings";
import { ArrowLeftIcon, LockIcon } from "../../_components/icons";
import { BulkLessons } from "../../_components/bulk-lessons";

export const metadata: Metadata = { title: "New lessons from videos" };

export default async function BulkLessonsPage() {
  const user = await requireUser("/lessons/bulk");
  if (!user.canCreate) {
    return (
      <main className="studio-main studio-main--narrow">
        <div className="refused" data-testid="create-refused">
          <span className="refused__icon">
            <LockIcon size={24} />
          </span>
          <h1>Only creators can write lessons</h1>
          <p className="lede">Sign in as the creator to make lessons from your videos.</p>
          <Link href="/sign-in?next=/lessons/bulk" className="button button--primary">
            Sign in as the creator
          </Link>
        </div>
      </main>
    );
  }
  const sample = sampleVideoLink();
  return (
    <main className="studio-main studio-main--narrow">
      <Link href="/lessons" className="breadcrumb">
        <ArrowLeftIcon size={16} /> All lessons
      </Link>
      <div className="page-head">
        <div className="page-head__text">
          <span className="eyebrow">New lessons</span>
          <h1>New lessons from videos</h1>
          <p className="lede">
            Drop a course&rsquo;s videos or a whole folder: each video becomes a draft lesson named after its file, and
            uploads a few at a time. Reloading the page keeps the list; pick or drop the same files again to go on.
          </p>
        </div>
      </div>
      {sample ? (
        <p className="notice bulk-sample" data-testid="sample-link">
          On the local emulator, &ldquo;Add from link&rdquo; imports from this studio only. Try <code>{sample}</code>.
        </p>
      ) : null}
      <div className="editor-card">
        <BulkLessons manifestKey={`lesson-studio:bulk:${user.id}`} />
      </div>
    </main>
  );
}
