import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/**
 * `--shard K/N`: this machine takes the K-th of N slices of the fleet, so an
 * existing job runner (a CI matrix, Kubernetes Jobs, GNU parallel) spreads
 * the work and the results merge by concatenation. A file's slice comes from
 * a sha256 of its shard key (its path relative to the argument it came
 * from), not from its position in the list: adding a file moves no other
 * file, and machines that mount the fleet at different paths agree.
 */

export interface Shard {
  /** 1-based: 1 ≤ index ≤ count. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard takes K/N with 1 ≤ K ≤ N (e.g. --shard 2/3 for the second of three machines); got "${text}".`);
  }
  return { index, count };
}

/** The 1-based shard a key belongs to, of `count`. */
export function shardOf(relativePath: string, count: number): number {
  const digest = createHash('sha256').update(relativePath).digest();
  // 48 bits of the hash: an even spread for any count a job runner uses.
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard<T extends { readonly relativePath: string }>(items: readonly T[], shard: Shard | undefined): T[] {
  if (shard === undefined) return [...items];
  return items.filter((item) => shardOf(item.relativePath, shard.count) === shard.index);
}
