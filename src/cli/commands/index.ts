import type { Command } from '../command.js';
import { create } from './create.js';
import { detect } from './detect.js';
import { diff } from './diff.js';
import { down } from './down.js';
import { repair } from './repair.js';
import { status } from './status.js';
import { up } from './up.js';
import { verify } from './verify.js';

/** Every command, in the order `drawbridge --help` lists them. */
export const COMMANDS: readonly Command[] = [detect, status, up, down, diff, verify, repair, create];
