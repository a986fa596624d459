-- lesson-video-kit 001: lesson video columns, access policy and the "video ready" notification.
--
-- Runs on Supabase, plain PostgreSQL (13+) and PGlite. Run it as the owner of the schema (Supabase's
-- `postgres`, or your migration role), ideally in one transaction (`psql -1 -f ...`). It is idempotent:
-- a second run succeeds and changes nothing. `001_lesson_video.down.sql` removes what it added.
--
-- It adapts to what is there:
-- * `auth.uid()` (Supabase) is used as it is; on a database without one, a shim in schema `auth` reads the
--   user id from `request.jwt.claim.sub` or `request.jwt.claims` like Supabase's own function does.
-- * `public.lessons` and `public.purchases` are created when absent. An existing `lessons` table must have
--   `id uuid`, `creator_id uuid` and `status text` (`'published'` makes a lesson public).
-- * `public.notify_lesson_ready(uuid)` is created when absent; define your own to do more than NOTIFY.
--
-- Objects it creates carry the comment marker 'lesson-video-kit' so the down migration removes only those.
-- It grants nothing: see sql/README.md for the privileges your app's role needs.

-- 1. auth.uid(): Supabase's own when present, a shim otherwise ------------------------------------------
do $migration$
begin
  if to_regnamespace('auth') is null then
    create schema auth;
    comment on schema auth is 'lesson-video-kit: auth.uid() shim for databases without Supabase Auth';
    grant usage on schema auth to public;
  end if;
  if to_regprocedure('auth.uid()') is null then
    -- Same body as Supabase's auth.uid(): the JWT subject from the request settings, NULL when anonymous.
    create function auth.uid() returns uuid
      language sql stable
      set search_path = ''
      as $fn$
        select coalesce(
          nullif(current_setting('request.jwt.claim.sub', true), ''),
          (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $fn$;
    comment on function auth.uid() is
      'lesson-video-kit: shim of Supabase auth.uid(); set request.jwt.claim.sub per transaction';
  end if;
end
$migration$;

-- 2. Tables: lessons and purchases when absent; what an existing lessons table must provide --------------
do $migration$
declare
  missing text;
begin
  if to_regclass('public.lessons') is null then
    create table public.lessons (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      description text not null default '',
      status text not null default 'draft' constraint lessons_status_check check (status in ('draft', 'published')),
      creator_id uuid not null default auth.uid(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    comment on table public.lessons is 'lesson-video-kit: lessons';
    create index lessons_creator_id_idx on public.lessons (creator_id);
  end if;

  select string_agg(format('%s %s', required.name, required.type), ', ') into missing
  from (values ('id', 'uuid'), ('creator_id', 'uuid'), ('status', 'text')) as required(name, type)
  where not exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = required.name and not attisdropped
      and format_type(atttypid, null) = required.type
  );
  if missing is not null then
    raise exception 'lesson-video-kit: public.lessons needs the column(s) %', missing
      using hint = 'The access policy compares creator_id with auth.uid() and reads status = ''published''.';
  end if;

  if to_regclass('public.purchases') is null then
    create table public.purchases (
      lesson_id uuid not null references public.lessons (id) on delete cascade,
      user_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (lesson_id, user_id)
    );
    comment on table public.purchases is 'lesson-video-kit: purchases';
    create index purchases_user_id_idx on public.purchases (user_id);
    -- Purchases are written by the server (payment webhook, service role); a buyer may read their own, which
    -- is also what the lessons policy's subquery needs. Without RLS here, anyone could insert a purchase.
    alter table public.purchases enable row level security;
    create policy purchases_select_own on public.purchases
      for select using (user_id = (select auth.uid()));
    comment on policy purchases_select_own on public.purchases is 'lesson-video-kit';
  end if;
end
$migration$;

-- 3. Video columns ------------------------------------------------------------------------------------------
alter table public.lessons add column if not exists mux_asset_id text;
alter table public.lessons add column if not exists mux_playback_id text;
alter table public.lessons add column if not exists video_status text not null default 'pending';

do $migration$
begin
  if not exists (
    select 1 from pg_constraint
    where conrelid = 'public.lessons'::regclass and conname = 'lessons_video_status_check'
  ) then
    alter table public.lessons add constraint lessons_video_status_check
      check (video_status in ('pending', 'processing', 'ready', 'error'));
  end if;
end
$migration$;

-- Webhooks that carry only an asset id find their lesson through this index.
create index if not exists lessons_mux_asset_id_idx on public.lessons (mux_asset_id);

-- 4. Access policy ----------------------------------------------------------------------------------------
-- Visible to its creator, to anyone once published, and to a user who purchased it; only the creator
-- inserts, updates or deletes. `(select auth.uid())` is auth.uid() evaluated once per statement rather than
-- once per row (Supabase's advice for RLS performance); its value is the same.
alter table public.lessons enable row level security;

do $migration$
begin
  -- The integration plan names the read policy lesson_access_policy. One that applies to every command
  -- would let anyone edit a published lesson, so such a policy is replaced by a read-only one.
  if exists (
    select 1 from pg_policies
    where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_access_policy'
      and cmd <> 'SELECT'
  ) then
    drop policy lesson_access_policy on public.lessons;
  end if;

  if not exists (
    select 1 from pg_policies
    where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_access_policy'
  ) then
    create policy lesson_access_policy on public.lessons
      for select
      using (
        creator_id = (select auth.uid())
        or status = 'published'
        or exists (
          select 1 from public.purchases
          where purchases.lesson_id = lessons.id
            and purchases.user_id = (select auth.uid())
        )
      );
    comment on policy lesson_access_policy on public.lessons is 'lesson-video-kit';
  end if;

  if not exists (
    select 1 from pg_policies
    where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_insert_own'
  ) then
    create policy lesson_insert_own on public.lessons
      for insert
      with check (creator_id = (select auth.uid()));
    comment on policy lesson_insert_own on public.lessons is 'lesson-video-kit';
  end if;

  if not exists (
    select 1 from pg_policies
    where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_update_own'
  ) then
    -- WITH CHECK too, so a creator cannot hand a lesson over to someone else.
    create policy lesson_update_own on public.lessons
      for update
      using (creator_id = (select auth.uid()))
      with check (creator_id = (select auth.uid()));
    comment on policy lesson_update_own on public.lessons is 'lesson-video-kit';
  end if;

  if not exists (
    select 1 from pg_policies
    where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_delete_own'
  ) then
    create policy lesson_delete_own on public.lessons
      for delete
      using (creator_id = (select auth.uid()));
    comment on policy lesson_delete_own on public.lessons is 'lesson-video-kit';
  end if;
end
$migration$;

-- 5. "Video ready" notification -----------------------------------------------------------------------------
do $migration$
begin
  -- Created only when absent: a host's own notify_lesson_ready (email, queue, pg_net call) is kept.
  if to_regprocedure('public.notify_lesson_ready(uuid)') is null then
    create function public.notify_lesson_ready(lesson_id uuid) returns void
      language sql volatile
      set search_path = ''
      as $fn$
        select pg_notify('lesson_ready', json_build_object('lesson_id', lesson_id)::text)
      $fn$;
    comment on function public.notify_lesson_ready(uuid) is
      'lesson-video-kit: NOTIFY lesson_ready, payload {"lesson_id": "<uuid>"}';
  end if;
end
$migration$;

-- The plan's `OLD.video_status != 'ready'` is NULL when the old status is NULL (a nullable column on an
-- existing table), which would skip the notification; IS DISTINCT FROM treats NULL as "not ready".
-- A lesson inserted with a ready video has become ready too (OLD is NULL on INSERT).
create or replace function public.on_video_status_change() returns trigger
  language plpgsql
  set search_path = ''
  as $fn$
begin
  if NEW.video_status = 'ready' and (TG_OP = 'INSERT' or OLD.video_status is distinct from 'ready') then
    perform public.notify_lesson_ready(NEW.id);
  end if;
  return NEW;
end
$fn$;
comment on function public.on_video_status_change() is 'lesson-video-kit';

-- updated_at follows every change, whoever writes the row (the webhook's UPDATE does not set it).
create or replace function public.lessons_touch_updated_at() returns trigger
  language plpgsql
  set search_path = ''
  as $fn$
begin
  NEW.updated_at := now();
  return NEW;
end
$fn$;
comment on function public.lessons_touch_updated_at() is 'lesson-video-kit';

do $migration$
begin
  if not exists (
    select 1 from pg_trigger
    where tgrelid = 'public.lessons'::regclass and tgname = 'lessons_video_status_change'
  ) then
    create trigger lessons_video_status_change
      after insert or update of video_status on public.lessons
      for each row execute function public.on_video_status_change();
    comment on trigger lessons_video_status_change on public.lessons is 'lesson-video-kit';
  end if;

  if exists (
    select 1 from pg_attribute
    where attrelid = 'public.lessons'::regclass and attname = 'updated_at' and not attisdropped
  ) and not exists (
    select 1 from pg_trigger
    where tgrelid = 'public.lessons'::regclass and tgname = 'lessons_touch_updated_at'
  ) then
    create trigger lessons_touch_updated_at
      before update on public.lessons
      for each row execute function public.lessons_touch_updated_at();
    comment on trigger lessons_touch_updated_at on public.lessons is 'lesson-video-kit';
  end if;
end
$migration$;
