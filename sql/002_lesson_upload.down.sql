-- lesson-video-kit 002 (down): removes what 002_lesson_upload.up.sql added; run it before 001's down.
--
-- The column and index carry the comment marker 'lesson-video-kit' and are dropped; a `mux_upload_id` the
-- lessons table had before 002 ran is kept. Safe to run twice, and on a database without 002 or 001.

do $migration$
declare
  marker constant text := 'lesson-video-kit';
  lessons regclass := to_regclass('public.lessons');
  upload_column smallint;
begin
  if lessons is null then
    return;
  end if;

  if obj_description(to_regclass('public.lessons_mux_upload_id_idx'), 'pg_class') = marker then
    drop index public.lessons_mux_upload_id_idx;
  end if;

  select attnum into upload_column from pg_attribute
  where attrelid = lessons and attname = 'mux_upload_id' and not attisdropped;
  if upload_column is not null and col_description(lessons, upload_column) like marker || '%' then
    alter table public.lessons drop column mux_upload_id;
  end if;
end
$migration$;
