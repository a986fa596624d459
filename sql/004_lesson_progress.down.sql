-- lesson-video-kit 004 (down): removes what 004_lesson_progress.up.sql added, learners' progress included; run it
-- before 003's, 002's and 001's down.
--
-- Objects the up migration created carry the comment marker 'lesson-video-kit' and are dropped; a
-- lesson_progress table, view or function of yours under the same name is kept. Nothing is dropped with
-- CASCADE: if something of yours depends on these objects, it stops with an error. Safe to run twice, and on a
-- database without 004 or 001.

do $migration$
declare
  marker constant text := 'lesson-video-kit';
  progress regclass := to_regclass('public.lesson_progress');
  summary regclass := to_regclass('public.lesson_progress_summary');
  item record;
begin
  if summary is not null and obj_description(summary, 'pg_class') like marker || '%' then
    drop view public.lesson_progress_summary;
  end if;

  for item in
    select p.oid::regprocedure as signature
    from pg_proc p
    where p.oid = to_regprocedure('public.lesson_progress_dropoff(uuid, double precision[])')
      and obj_description(p.oid, 'pg_proc') like marker || '%'
  loop
    execute format('drop function %s', item.signature);
  end loop;

  if progress is not null and obj_description(progress, 'pg_class') like marker || '%' then
    drop table public.lesson_progress;
  end if;

  for item in
    select p.oid::regprocedure as signature
    from pg_proc p
    where p.oid = to_regprocedure('public.lesson_progress_normalise()')
      and obj_description(p.oid, 'pg_proc') like marker || '%'
  loop
    execute format('drop function %s', item.signature);
  end loop;
end
$migration$;
