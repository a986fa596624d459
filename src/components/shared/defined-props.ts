/**
 * Drops the keys whose value is `undefined`: third-party props (Mux's player and uploader) are typed
 * without `| undefined`, so under `exactOptionalPropertyTypes` an absent value must be an absent key.
 */
export function definedProps<T extends object>(props: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const result: Partial<Record<keyof T, unknown>> = {};
  for (const key of Object.keys(props) as Array<keyof T>) if (props[key] !== undefined) result[key] = props[key];
  return result as { [K in keyof T]?: Exclude<T[K], undefined> };
}
