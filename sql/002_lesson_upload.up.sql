-- lesson-video-kit 002: the lesson's upload id, so a lesson saved before its video exists finds it.
--
-- Apply after 001_lesson_video.up.sql, the same way (as the schema's owner, ideally in one transaction).
-- Idempotent; `002_lesson_upload.down.sql` removes what it added.
--
-- `mux_upload_id` is the direct upload the lesson's video comes from. A creator can save a lesson before
-- the upload has become an asset (or before it has even finished): the webhook hooks then find the lesson
-- by this id, and a video replaced by a newer upload is told apart from the current one. It is indexed
-- because every webhook looks lessons up by it. The access policy of 001 covers it like every other column.
--
-- On a lessons table that already has a `mux_upload_id` of its own, the column is used as it is and the
-- down migration leaves it.

do $migration$
begin
  if not exists (
    select 1 from pg_attribute
    where attrelid = to_regclass('public.lessons') and attname = 'mux_asset_id' and not attisdropped
  ) then
    raise exception 'lesson-video-kit: 002_lesson_upload needs the lesson video columns of 001'
      using hint = 'Run 001_lesson_video.up.sql first.';
  end if;

  if not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = 'mux_upload_id' and not attisdropped
  ) then
    alter table public.lessons add column mux_upload_id text;
    comment on column public.lessons.mux_upload_id is
      'lesson-video-kit: the direct upload the lesson''s video comes from';
  end if;

  if to_regclass('public.lessons_mux_upload_id_idx') is null then
    create index lessons_mux_upload_id_idx on public.lessons (mux_upload_id);
    comment on index public.lessons_mux_upload_id_idx is 'lesson-video-kit';
  end if;
end
$migration$;
