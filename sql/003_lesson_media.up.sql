-- lesson-video-kit 003: what a lesson shows around its video: a poster frame, chapters and captions on by default.
--
-- Apply after 001 (and 002), the same way (as the schema's owner, ideally in one transaction).
-- Idempotent; `003_lesson_media.down.sql` removes what it added.
--
-- `thumbnail_time`          seconds into the video of the frame the creator picked as the poster (null: the
--                           backend's default, the middle). Players get it as `thumbnailTime`, thumbnail URLs as
--                           `?time=`, signed thumbnail tokens as the `time` claim. Never negative.
-- `chapters`                the lesson's chapters, a JSON array of `{ "startTime": seconds, "title": text }`
--                           ordered by start time (Mux has no chapters text track, so they live with the lesson).
--                           Always an array, of at most 500 entries; '[]' when there are none.
-- `captions_on_by_default`  turn the first caption track on when the player loads. Default false.
--
-- The access policy of 001 covers the new columns like every other column. A column the lessons table already
-- had under one of these names is used as it is (its type is not checked) and the down migration leaves it.

do $migration$
begin
  if not exists (
    select 1 from pg_attribute
    where attrelid = to_regclass('public.lessons') and attname = 'mux_asset_id' and not attisdropped
  ) then
    raise exception 'lesson-video-kit: 003_lesson_media needs the lesson video columns of 001'
      using hint = 'Run 001_lesson_video.up.sql (and 002_lesson_upload.up.sql) first.';
  end if;

  if not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = 'thumbnail_time' and not attisdropped
  ) then
    alter table public.lessons add column thumbnail_time double precision
      constraint lessons_thumbnail_time_check check (thumbnail_time >= 0 and thumbnail_time < 'Infinity'::double precision);
    comment on column public.lessons.thumbnail_time is
      'lesson-video-kit: seconds into the video of the poster frame';
  end if;

  if not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = 'chapters' and not attisdropped
  ) then
    alter table public.lessons add column chapters jsonb not null default '[]'::jsonb
      constraint lessons_chapters_check check (jsonb_typeof(chapters) = 'array' and jsonb_array_length(chapters) <= 500);
    comment on column public.lessons.chapters is
      'lesson-video-kit: chapters, a JSON array of { startTime, title }';
  end if;

  if not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = 'captions_on_by_default' and not attisdropped
  ) then
    alter table public.lessons add column captions_on_by_default boolean not null default false;
    comment on column public.lessons.captions_on_by_default is
      'lesson-video-kit: turn captions on when the player loads';
  end if;
end
$migration$;
