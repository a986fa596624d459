/**
 * `overrides` over `defaults`, one level deep. A key the overrides leave out or set to `undefined` keeps its
 * default: the option types accept an explicit `undefined` (`exactOptionalPropertyTypes`), which a plain
 * spread would copy over the default.
 */
export function overDefaults<T extends object>(defaults: T, overrides: { [K in keyof T]?: T[K] | undefined } | undefined): T {
  const result = { ...defaults };
  for (const key in overrides) {
    const value = overrides[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}
