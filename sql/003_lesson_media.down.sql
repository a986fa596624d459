-- lesson-video-kit 003 (down): removes what 003_lesson_media.up.sql added; run it before 002's and 001's down.
--
-- The columns carry the comment marker 'lesson-video-kit' and are dropped with their checks; columns of the same
-- names the lessons table had before 003 ran are kept. Safe to run twice, and on a database without 003 or 001.

do $migration$
declare
  marker constant text := 'lesson-video-kit';
  lessons regclass := to_regclass('public.lessons');
  column_name text;
  column_number smallint;
begin
  if lessons is null then
    return;
  end if;

  foreach column_name in array array['thumbnail_time', 'chapters', 'captions_on_by_default'] loop
    column_number := null;
    select attnum into column_number from pg_attribute
    where attrelid = lessons and attname = column_name and not attisdropped;
    if column_number is not null and col_description(lessons, column_number) like marker || '%' then
      execute format('alter table public.lessons drop column %I', column_name);
    end if;
  end loop;
end
$migration$;
