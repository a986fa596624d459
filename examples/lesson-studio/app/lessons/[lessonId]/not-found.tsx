import Link from "next/link";
import { LockIcon } from "../../_components/icons";

/** What a person sees for a lesson the access policy hides from them (a draft) or that does not exist. */
export default function LessonNotAvailable() {
  return (
    <main className="studio-main studio-main--narrow">
      <div className="refused" data-testid="lesson-refused">
        <span className="refused__icon">
          <LockIcon size={24} />
        </span>
        <h1>This lesson isn’t available to you</h1>
        <p className="lede">
          It may be a draft that only its creator and early buyers can open, or it may not exist any more.
        </p>
        <div className="row">
          <Link href="/lessons" className="button button--secondary">
            Browse lessons
          </Link>
          <Link href="/sign-in" className="button button--primary">
            Sign in as someone else
          </Link>
        </div>
      </div>
    </main>
  );
}
