"use client";
import { useCallback, useInsertionEffect, useRef, useState } from "react";

/**
 * One state for controlled (`value` + `onChange`) and uncontrolled (`defaultValue`) use, as Radix does:
 * with `value` given the caller owns the state; without it the component does.
 */
export function useControllableState<T>(
  value: T | undefined,
  defaultValue: T,
  onChange: ((next: T) => void) | undefined,
): [T, (next: T | ((current: T) => T)) => void] {
  const [own, setOwn] = useState(defaultValue);
  const controlled = value !== undefined;
  const current = controlled ? value : own;
  const latest = useRef(current);
  const onChangeRef = useRef(onChange);
  // Updated after each commit, before any layout effect or event handler can call `set`; never during a
  // render, which React may throw away.
  useInsertionEffect(() => {
    latest.current = current;
    onChangeRef.current = onChange;
  });
  const set = useCallback(
    (next: T | ((current: T) => T)) => {
      const resolved = typeof next === "function" ? (next as (current: T) => T)(latest.current) : next;
      if (Object.is(resolved, latest.current)) return;
      latest.current = resolved;
      if (!controlled) setOwn(resolved);
      onChangeRef.current?.(resolved);
    },
    [controlled],
  );
  return [current, set];
}
