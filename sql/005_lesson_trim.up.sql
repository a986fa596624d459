-- lesson-video-kit 005: the part of a lesson's video learners see (a trim), without re-uploading.
--
-- Apply after 001 (and 002, 003, 004), the same way (as the schema's owner, ideally in one transaction).
-- Idempotent; `005_lesson_trim.down.sql` removes what it added.
--
-- `trim_start_time`  seconds into the uploaded video where playback starts (Mux's `asset_start_time`).
-- `trim_end_time`    seconds into the uploaded video where playback ends (Mux's `asset_end_time`).
--
-- Both null (no trim: learners see the whole video) or both set, with 0 ≤ start < end < Infinity
-- (check `lessons_trim_check`). The app reads them as a lesson's `trim: { startTime, endTime }`; players apply it
-- (VideoPlayer's `trim`), and signed playback tokens carry it as the `asset_start_time`/`asset_end_time` claims.
--
-- The access policy of 001 covers the new columns like every other column: only the creator writes them. A column
-- the lessons table already had under one of these names is used as it is (its type is not checked, no check is
-- added) and the down migration leaves it.

do $migration$
begin
  if not exists (
    select 1 from pg_attribute
    where attrelid = to_regclass('public.lessons') and attname = 'mux_asset_id' and not attisdropped
  ) then
    raise exception 'lesson-video-kit: 005_lesson_trim needs the lesson video columns of 001'
      using hint = 'Run 001_lesson_video.up.sql (and 002, 003, 004) first.';
  end if;

  if not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname in ('trim_start_time', 'trim_end_time') and not attisdropped
  ) then
    alter table public.lessons
      add column trim_start_time double precision,
      add column trim_end_time double precision,
      add constraint lessons_trim_check check (
        (trim_start_time is null and trim_end_time is null)
        or (
          trim_start_time is not null
          and trim_end_time is not null
          and trim_start_time >= 0
          and trim_end_time > trim_start_time
          and trim_end_time < 'Infinity'::double precision
        )
      );
    comment on column public.lessons.trim_start_time is
      'lesson-video-kit: seconds into the video where playback starts (trim)';
    comment on column public.lessons.trim_end_time is
      'lesson-video-kit: seconds into the video where playback ends (trim)';
  end if;
end
$migration$;
