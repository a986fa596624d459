-- lesson-video-kit 005 (down): removes what 005_lesson_trim.up.sql added; run it before 004's, 003's, 002's and
-- 001's down.
--
-- The columns carry the comment marker 'lesson-video-kit' and are dropped with their check; columns of the same
-- names the lessons table had before 005 ran are kept. Safe to run twice, and on a database without 005 or 001.

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

  foreach column_name in array array['trim_start_time', 'trim_end_time'] loop
    column_number := null;
    select attnum into column_number from pg_attribute
    where attrelid = lessons and attname = column_name and not attisdropped;
    if column_number is not null and col_description(lessons, column_number) like marker || '%' then
      execute format('alter table public.lessons drop column %I', column_name);
    end if;
  end loop;
end
$migration$;
