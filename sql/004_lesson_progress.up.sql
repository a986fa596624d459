-- lesson-video-kit 004: learner progress. One row per learner and lesson: where they are, what they watched,
-- when they completed it; what a lesson's creator may read of it is an aggregate, never a learner's row.
--
-- Apply after 001 (and 002, 003), the same way (as the schema's owner, ideally in one transaction).
-- Idempotent; `004_lesson_progress.down.sql` removes what it added.
--
-- `public.lesson_progress`
--   `lesson_id`, `user_id`   the lesson (a row of public.lessons, deleted with it) and the learner (auth.uid()).
--   `position`               seconds: where the learner last was.
--   `watched`                what they watched, a JSON array of `[start, end]` seconds. Every write is
--                            normalised to the sorted union of its ranges (overlapping and touching ones joined).
--   `watched_seconds`        the union's total length, computed from `watched` on every write.
--   `completed_at`           when they completed the lesson; once set it never changes or clears.
--   `updated_at`             the last write.
-- Nothing else about the learner is stored: no name, no address, no device.
--
-- Row level security: a learner reads, inserts and updates only their own rows, and only for lessons the
-- access policy of 001 lets them see (creator, published, purchased): the policies ask public.lessons, whose
-- own policy decides. Nobody but the tables' owner deletes rows (a learner cannot undo a completion that way).
--
-- A creator reads their own lessons' progress through two aggregates that run as their owner and answer only
-- for lessons whose creator_id is auth.uid():
--   `public.lesson_progress_summary`          view: lesson_id, started, completed, completion_rate, last_activity.
--   `public.lesson_progress_dropoff(id, b)`   function: for each span [b[i], b[i+1]) of the bounds array, the
--                                             learners who watched at least half of it (a drop-off curve with
--                                             equal buckets, or by chapter with the chapters' start times).
--
-- It grants nothing: see sql/README.md for the privileges your app's role needs.

do $migration$
begin
  if to_regclass('public.lessons') is null or to_regprocedure('auth.uid()') is null
    or not exists (
      select 1 from pg_policies where schemaname = 'public' and tablename = 'lessons' and policyname = 'lesson_access_policy'
    )
  then
    raise exception 'lesson-video-kit: 004_lesson_progress needs the lessons table and access policy of 001'
      using hint = 'Run 001_lesson_video.up.sql (then 002 and 003) first.';
  end if;

  if to_regclass('public.lesson_progress') is null then
    create table public.lesson_progress (
      lesson_id uuid not null references public.lessons (id) on delete cascade,
      user_id uuid not null default auth.uid(),
      position double precision not null default 0
        constraint lesson_progress_position_check check (position >= 0 and position < 'Infinity'::double precision),
      watched jsonb not null default '[]'::jsonb
        constraint lesson_progress_watched_check check (jsonb_typeof(watched) = 'array' and jsonb_array_length(watched) <= 2000),
      watched_seconds double precision not null default 0,
      completed_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (lesson_id, user_id)
    );
    comment on table public.lesson_progress is 'lesson-video-kit: learner progress, one row per learner and lesson';
    -- A learner's own rows (their progress page, deleting a learner's data) are found by user.
    create index lesson_progress_user_id_idx on public.lesson_progress (user_id);
  end if;
end
$migration$;

-- Every write, whoever makes it: `watched` becomes the sorted union of its ranges (each a pair of numbers with
-- 0 <= start < end, or the write fails), `watched_seconds` its length, `updated_at` now; `completed_at` once
-- set is kept as it was; a row never moves to another lesson or learner.
create or replace function public.lesson_progress_normalise() returns trigger
  language plpgsql
  set search_path = ''
  as $fn$
declare
  ranges jsonb;
begin
  if TG_OP = 'UPDATE' then
    if NEW.lesson_id <> OLD.lesson_id or NEW.user_id <> OLD.user_id then
      raise exception 'lesson-video-kit: a lesson_progress row keeps its lesson and learner' using errcode = 'check_violation';
    end if;
    if OLD.completed_at is not null then
      NEW.completed_at := OLD.completed_at;
    end if;
  end if;

  if jsonb_typeof(NEW.watched) is distinct from 'array' or exists (
    select 1 from jsonb_array_elements(NEW.watched) as item
    where case
      when jsonb_typeof(item) <> 'array' then true
      when jsonb_array_length(item) <> 2 then true
      when jsonb_typeof(item -> 0) <> 'number' or jsonb_typeof(item -> 1) <> 'number' then true
      else (item ->> 0)::double precision < 0 or (item ->> 0)::double precision >= (item ->> 1)::double precision
    end
  ) then
    raise exception 'lesson-video-kit: lesson_progress.watched must be [start, end] pairs with 0 <= start < end'
      using errcode = 'check_violation';
  end if;

  -- Gaps and islands: a range starts a new island unless an earlier range reaches it.
  with parts as (
    select (item ->> 0)::double precision as s, (item ->> 1)::double precision as e
    from jsonb_array_elements(NEW.watched) as item
  ), marked as (
    select s, e, max(e) over (order by s, e rows between unbounded preceding and 1 preceding) as reach
    from parts
  ), islands as (
    select s, e, count(*) filter (where reach is null or s > reach) over (order by s, e) as island
    from marked
  ), joined as (
    select min(s) as s, max(e) as e from islands group by island
  )
  select coalesce(jsonb_agg(jsonb_build_array(s, e) order by s), '[]'::jsonb), coalesce(sum(e - s), 0)
    into ranges, NEW.watched_seconds
  from joined;
  NEW.watched := ranges;
  NEW.updated_at := now();
  return NEW;
end
$fn$;
comment on function public.lesson_progress_normalise() is 'lesson-video-kit';

do $migration$
begin
  if not exists (
    select 1 from pg_trigger
    where tgrelid = 'public.lesson_progress'::regclass and tgname = 'lesson_progress_normalise'
  ) then
    create trigger lesson_progress_normalise
      before insert or update on public.lesson_progress
      for each row execute function public.lesson_progress_normalise();
    comment on trigger lesson_progress_normalise on public.lesson_progress is 'lesson-video-kit';
  end if;
end
$migration$;

-- Row level security: the learner's own rows of lessons they may see. `exists (… public.lessons …)` runs as the
-- learner, so the lessons table's access policy (creator, published, purchased) decides.
alter table public.lesson_progress enable row level security;

do $migration$
declare
  own_visible constant text := $own$
    user_id = (select auth.uid())
    and exists (select 1 from public.lessons where lessons.id = lesson_progress.lesson_id)
  $own$;
begin
  if not exists (
    select 1 from pg_policies where schemaname = 'public' and tablename = 'lesson_progress' and policyname = 'lesson_progress_select_own'
  ) then
    execute format('create policy lesson_progress_select_own on public.lesson_progress for select using (%s)', own_visible);
    comment on policy lesson_progress_select_own on public.lesson_progress is 'lesson-video-kit';
  end if;

  if not exists (
    select 1 from pg_policies where schemaname = 'public' and tablename = 'lesson_progress' and policyname = 'lesson_progress_insert_own'
  ) then
    execute format('create policy lesson_progress_insert_own on public.lesson_progress for insert with check (%s)', own_visible);
    comment on policy lesson_progress_insert_own on public.lesson_progress is 'lesson-video-kit';
  end if;

  if not exists (
    select 1 from pg_policies where schemaname = 'public' and tablename = 'lesson_progress' and policyname = 'lesson_progress_update_own'
  ) then
    execute format('create policy lesson_progress_update_own on public.lesson_progress for update using (%1$s) with check (%1$s)', own_visible);
    comment on policy lesson_progress_update_own on public.lesson_progress is 'lesson-video-kit';
  end if;
end
$migration$;

-- The creator's aggregates. They run with their owner's rights (learners' rows are not readable by the
-- creator), so each names the creator itself: only lessons with creator_id = auth.uid() appear.
-- A learner has started when they watched anything; the completion rate is completed / started.
create or replace view public.lesson_progress_summary as
  select
    lessons.id as lesson_id,
    (count(progress.user_id) filter (where progress.watched_seconds > 0))::integer as started,
    (count(progress.user_id) filter (where progress.completed_at is not null))::integer as completed,
    case
      when count(progress.user_id) filter (where progress.watched_seconds > 0) = 0 then 0::double precision
      else least(1::double precision,
        (count(progress.user_id) filter (where progress.completed_at is not null))::double precision
          / (count(progress.user_id) filter (where progress.watched_seconds > 0)))
    end as completion_rate,
    max(progress.updated_at) as last_activity
  from public.lessons
  left join public.lesson_progress as progress on progress.lesson_id = lessons.id
  where lessons.creator_id = (select auth.uid())
  group by lessons.id;
comment on view public.lesson_progress_summary is 'lesson-video-kit: learner progress per lesson, for its creator';

-- Viewers per span of `bounds` (ascending seconds): a learner watched a span when their ranges cover at least
-- half of it. No rows unless the caller created the lesson.
create or replace function public.lesson_progress_dropoff(lesson_id uuid, bounds double precision[])
  returns table (span_start double precision, span_end double precision, viewers integer)
  language sql stable
  security definer
  set search_path = ''
  as $fn$
    with lesson as (
      select lessons.id from public.lessons
      where lessons.id = lesson_progress_dropoff.lesson_id and lessons.creator_id = (select auth.uid())
    ), spans as (
      select i, bounds[i] as s, bounds[i + 1] as e
      from generate_subscripts(bounds, 1) as i
      where i < array_upper(bounds, 1) and bounds[i] < bounds[i + 1]
    ), parts as (
      select progress.user_id, (item ->> 0)::double precision as s, (item ->> 1)::double precision as e
      from public.lesson_progress as progress
      join lesson on lesson.id = progress.lesson_id
      cross join jsonb_array_elements(progress.watched) as item
    ), covered as (
      select spans.i, parts.user_id, sum(least(parts.e, spans.e) - greatest(parts.s, spans.s)) as seconds
      from spans join parts on parts.s < spans.e and parts.e > spans.s
      group by spans.i, parts.user_id
    )
    select spans.s, spans.e,
      (select count(*) from covered where covered.i = spans.i and covered.seconds * 2 >= spans.e - spans.s)::integer
    from spans
    where exists (select 1 from lesson)
    order by spans.i
  $fn$;
comment on function public.lesson_progress_dropoff(uuid, double precision[]) is
  'lesson-video-kit: learners who watched at least half of each span, for the lesson''s creator';
