/**
 * Freeze a value and everything it holds. What the probe remembers is handed
 * to many callers at once (the same snapshot for every database of a schema),
 * so none of them may change it for the others.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
