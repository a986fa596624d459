-- lesson-video-kit 001 (down): removes what 001_lesson_video.up.sql added.
--
-- Objects the up migration created carry the comment marker 'lesson-video-kit' and are dropped; objects
-- that were there before (Supabase's auth.uid(), your own lessons/purchases tables, your own
-- notify_lesson_ready) are kept. On a lessons table of yours it drops the three video columns, their check
-- and index, and the policies and triggers it added; row level security stays enabled on it.
-- Nothing is dropped with CASCADE: if something of yours depends on these objects, it stops with an error.
-- Safe to run twice.

do $migration$
declare
  marker constant text := 'lesson-video-kit';
  lessons regclass := to_regclass('public.lessons');
  purchases regclass := to_regclass('public.purchases');
  item record;
begin
  if lessons is not null then
    for item in
      select tgname from pg_trigger
      where tgrelid = lessons and obj_description(oid, 'pg_trigger') = marker
    loop
      execute format('drop trigger %I on public.lessons', item.tgname);
    end loop;

    for item in
      select polname from pg_policy
      where polrelid = lessons and obj_description(oid, 'pg_policy') = marker
    loop
      execute format('drop policy %I on public.lessons', item.polname);
    end loop;

    drop index if exists public.lessons_mux_asset_id_idx;
    alter table public.lessons drop constraint if exists lessons_video_status_check;
    alter table public.lessons drop column if exists video_status;
    alter table public.lessons drop column if exists mux_playback_id;
    alter table public.lessons drop column if exists mux_asset_id;
  end if;

  if purchases is not null and obj_description(purchases, 'pg_class') like marker || '%' then
    drop table public.purchases;
  end if;
  if lessons is not null and obj_description(lessons, 'pg_class') like marker || '%' then
    drop table public.lessons;
  end if;

  for item in
    select p.oid::regprocedure as signature
    from pg_proc p
    where p.oid in (
      to_regprocedure('public.on_video_status_change()'),
      to_regprocedure('public.lessons_touch_updated_at()'),
      to_regprocedure('public.notify_lesson_ready(uuid)')
    )
      and obj_description(p.oid, 'pg_proc') like marker || '%'
  loop
    execute format('drop function %s', item.signature);
  end loop;

  if obj_description(to_regprocedure('auth.uid()'), 'pg_proc') like marker || '%' then
    drop function auth.uid();
  end if;
  if obj_description(to_regnamespace('auth'), 'pg_namespace') like marker || '%'
    and not exists (select 1 from pg_depend where refobjid = to_regnamespace('auth') and deptype = 'n')
  then
    drop schema auth;
  end if;
end
$migration$;
